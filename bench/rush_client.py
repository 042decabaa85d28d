"""One director's browser for bench/rush.py: cookies, forms as a browser sends them, timed requests.

The standard library is enough (http.client): each request opens its own connection from the
director's own loopback address (127.0.x.y), so rate limits per client address count each director
apart, as they would on the real network.
"""

import http.client
import json
import re
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie

TIMEOUT = 60  # seconds; a request that takes longer counts as an error


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "")

    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Sample:
    """One request: what it was, how long it took, and why it failed (None when it did not)."""

    endpoint: str
    started: float
    seconds: float
    error: str | None = None


class Browser:
    """Cookies and timed requests for one director; every request is appended to `samples`."""

    def __init__(self, base_url: str, source_address: str, samples: list[Sample]):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.source_address = source_address
        self.cookies: dict[str, str] = {}
        self.samples = samples

    def request(
        self,
        endpoint: str,
        method: str,
        path: str,
        form: list[tuple[str, str]] | None = None,
        accept=None,
        headers: dict[str, str] | None = None,
    ) -> Answer | None:
        """The answer, or None when the request failed (the failure is in `samples`)."""
        headers = {"Connection": "close", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if accept:
            # As the page's script sends them (static/js/proposal-form.js).
            headers.update({"Accept": accept, "X-Requested-With": "fetch"})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.time()
        clock = time.perf_counter()
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=TIMEOUT, source_address=(self.source_address, 0)
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read())
        except (OSError, http.client.HTTPException) as error:
            self.samples.append(Sample(endpoint, started, time.perf_counter() - clock, type(error).__name__))
            return None
        finally:
            connection.close()
        seconds = time.perf_counter() - clock
        self._keep_cookies(answer.headers)
        error = f"HTTP {answer.status}" if answer.status >= 400 else None
        self.samples.append(Sample(endpoint, started, seconds, error))
        return None if error else answer

    def fail(self, endpoint: str, why: str) -> None:
        """An answer that came back but is not what a browser expects (a form refused, no PDF)."""
        self.samples.append(Sample(endpoint, time.time(), 0.0, why))

    def _keep_cookies(self, headers: http.client.HTTPMessage) -> None:
        for header in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


@dataclass
class Form:
    action: str
    attributes: dict[str, str]
    fields: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def set(self, name: str, value: str) -> None:
        if self.get(name) is None:
            self.fields.append((name, value))
        else:
            self.fields = [(key, value if key == name else old) for key, old in self.fields]


class _FormReader(HTMLParser):
    """Each form of a page with the fields a browser's FormData holds: its successful controls,
    buttons aside."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: list | None = None
        self._textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.form = Form(action=attributes.get("action", ""), attributes=attributes)
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in attributes:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.form.fields.append((name, attributes.get("value", default)))
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "option" and self._select is not None:
            self._option = [attributes.get("value"), "selected" in attributes, ""]
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._option is not None:
            self._option[2] += data
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "option" and self._option is not None:
            value, selected, label = self._option
            self._select[1].append((label.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            chosen = [value for value, selected in options if selected] or [v for v, _ in options[:1]]
            self.form.fields.extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            # A newline right after <textarea> is not part of the value, for a browser either.
            self.form.fields.append((name, text[1:] if text.startswith("\n") else text))
            self._textarea = None


def read_form(html: str, form_id: str | None = None, *, having: str | None = None) -> Form | None:
    """The form with this id, or the first with a field named `having`, as a browser sends it."""
    reader = _FormReader()
    reader.feed(html)
    for form in reader.forms:
        if form_id is not None and form.attributes.get("id") == form_id:
            return form
        if having is not None and any(name == having for name, _value in form.fields):
            return form
    return None


_REFRESH = re.compile(r'<meta[^>]+http-equiv="refresh"[^>]+content="(\d+)(?:\s*;\s*url=([^"]+))?"', re.I)


def refresh_of(html: str) -> tuple[float, str | None] | None:
    """A page that refreshes itself ("being prepared"): after how long, and to where."""
    match = _REFRESH.search(html)
    if match is None:
        return None
    return float(match.group(1)), match.group(2)
