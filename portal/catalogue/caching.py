"""Conditional and cached answers for the public pages: ETag, Last-Modified, `Cache-Control:
public`, 304, and the anonymous pages kept whole in the process.

Everything is keyed by the catalogue stamp (catalogue/stamp.py), which changes in the
transaction of every change the public could see, and by what else picks the answer: the address
with its query, the language cookie and the browser's language, the templates. So a visitor with
no session cookie gets a 304, or a page already made, after one primary-key query and before any
template, user loading or session work (`answer_early`, run before the views); a correction or
an unpublication changes the stamp, and so every cached answer, at its commit.

Signed-in readers (and anyone with a session cookie) go through the views: signed-in readers get
the page itself with `no-store` (it names them), as every page of theirs does (portal/security.py).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import Response, current_app, g, make_response, request
from flask_login import current_user

from portal.catalogue import stamp
from portal.i18n import LANGUAGE_COOKIE

#: The pages kept whole: few addresses, each asked often. Searches are not (their addresses are
#: countless: they would push the pages out), but answer 304 like the others.
_KEPT = frozenset(
    {
        "public.index",
        "public.call",
        "public.subject",
        "public.call_feed",
        "public.initiative_feed",
        "public.export_json",
        "site.sitemap",
    }
)
_CONDITIONAL = _KEPT | {"public.search"}
#: A page larger than this share of the cache is not kept.
_LARGEST_SHARE = 8


@cache
def _release(root: str) -> str:
    """What else a page depends on: its templates, stylesheets and translations, read once per
    process."""
    digest = hashlib.sha256()
    base = Path(root).parent
    patterns = ("templates/public/*.html", "templates/base.html", "static/css/*.css", "translations/*/*/*.mo")
    for pattern in patterns:
        for path in sorted(base.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(current: str) -> tuple:
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return (
        current,
        request.host,
        request.full_path,
        chosen if chosen in languages else "",
        request.accept_languages.best_match(languages) or "",
    )


def _etag(key: tuple) -> str:
    seed = repr((_release(current_app.root_path), key))
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    last_modified: datetime | None

    def response(self) -> Response:
        return Response(self.body, status=self.status, headers=self.headers)


class PageCache:
    """A small least-recently-used store of whole answers, bounded in bytes, shared by a
    process's threads; emptied when the stamp changes (no older page can be asked again)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._pages: OrderedDict[tuple, _Kept] = OrderedDict()
        self._size = 0
        self._stamp: str | None = None
        self._lock = threading.Lock()

    def get(self, key: tuple) -> _Kept | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
            return kept

    def put(self, key: tuple, kept: _Kept) -> None:
        size = len(kept.body)
        if size * _LARGEST_SHARE > self.capacity:
            return
        with self._lock:
            if key[0] != self._stamp:
                self._pages.clear()
                self._size, self._stamp = 0, key[0]
            previous = self._pages.pop(key, None)
            if previous is not None:
                self._size -= len(previous.body)
            self._pages[key] = kept
            self._size += size
            while self._size > self.capacity:
                _key_, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.body)


def _pages() -> PageCache:
    found = current_app.extensions.get("public_pages")
    if found is None:
        found = current_app.extensions["public_pages"] = PageCache(current_app.config["PUBLIC_CACHE_BYTES"])
    return found


def _may_be_signed_in() -> bool:
    cookies = request.cookies
    return (
        current_app.config["SESSION_COOKIE_NAME"] in cookies
        or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies
    )


def _public_headers(response: Response, etag: str) -> Response:
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
    return response


def answer_early() -> Response | None:
    """Before the view: a 304 or a kept page for a visitor with no session, from the stamp alone."""
    if request.method not in ("GET", "HEAD") or request.endpoint not in _CONDITIONAL or _may_be_signed_in():
        return None
    current = stamp.current()
    if current is None:
        return None
    key = _key(current)
    g.public_key, g.public_etag = key, _etag(key)
    kept = _pages().get(key) if request.endpoint in _KEPT else None
    since = request.if_modified_since
    fresh = request.if_none_match.contains(g.public_etag) or (
        not request.if_none_match
        and kept is not None
        and since is not None
        and kept.last_modified is not None
        and kept.last_modified <= since
    )
    if fresh:
        response = Response(status=304)
        if kept is not None:
            response.headers.extend((name, value) for name, value in kept.headers if name == "Vary")
        return _public_headers(response, g.public_etag)
    return kept.response() if kept is not None else None


def keep(response: Response) -> Response:
    """After the view: keep a complete anonymous page for the next visitors."""
    key = g.get("public_key")
    if (
        key is not None
        and request.endpoint in _KEPT
        and response.status_code == 200
        and not response.direct_passthrough
        and response.get_etag()[0] == g.public_etag
    ):
        headers = [(name, value) for name, value in response.headers if name != "Set-Cookie"]
        _pages().put(key, _Kept(200, headers, response.get_data(), response.last_modified))
    return response


def _fresh(etag: str, last_modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since


def public_response(
    render: Callable[[], object],
    *,
    last_modified: datetime | None,
    final: bool = True,
    negotiated: bool = False,
) -> Response:
    """The page `render()` makes, or 304 when the visitor's copy is current.

    `final` is False while the page shows a stand-in (a text still being formatted), which no
    cache keeps; `negotiated` when the language came from the visitor's browser rather than the
    address.
    """
    if current_user.is_authenticated:
        return make_response(render())
    etag = g.get("public_etag")
    if etag is None:
        current = stamp.current()
        etag = _etag(_key(current)) if current is not None else None
    if not final or etag is None:
        response = make_response(render())
        response.headers["Cache-Control"] = "no-cache"
        return response
    response = Response(status=304) if _fresh(etag, last_modified) else make_response(render())
    _public_headers(response, etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    if negotiated:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
