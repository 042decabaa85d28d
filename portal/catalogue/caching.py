"""Conditional answers for the public pages: ETag, Last-Modified, `Cache-Control: public`, 304.

The validators are computed from what the page shows (the visible subjects' ids, revisions and
outcomes, the language) before anything is rendered, so that a 304 costs one query and no
template. Signed-in readers get the page itself with `no-store` (it names them), as every page
of theirs does (portal/security.py).
"""

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import Response, current_app, make_response, request
from flask_babel import get_locale
from flask_login import current_user


@cache
def _release(root: str) -> str:
    """What else a page depends on: its templates and stylesheets, read once per process."""
    digest = hashlib.sha256()
    base = Path(root).parent
    for pattern in ("templates/public/*.html", "templates/base.html", "static/css/*.css"):
        for path in sorted(base.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _etag(parts: Iterable) -> str:
    seed = repr((_release(current_app.root_path), str(get_locale()), tuple(parts)))
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _fresh(etag: str, last_modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag)
    since = request.if_modified_since
    return since is not None and last_modified is not None and last_modified.replace(microsecond=0) <= since


def public_response(
    render: Callable[[], object],
    *,
    parts: Iterable,
    last_modified: datetime | None,
    final: bool = True,
    negotiated: bool = False,
) -> Response:
    """The page `render()` makes, or 304 when the visitor's copy is current.

    `parts` name everything the page shows; `final` is False while the page shows a stand-in
    (a text still being formatted), which no cache keeps; `negotiated` when the language came
    from the visitor's browser rather than the address.
    """
    if current_user.is_authenticated:
        return make_response(render())
    etag = _etag(parts)
    current = final and _fresh(etag, last_modified)
    response = Response(status=304) if current else make_response(render())
    if not final:
        response.headers["Cache-Control"] = "no-cache"
        return response
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = current_app.config["PUBLIC_MAX_AGE"]
    if negotiated:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response
