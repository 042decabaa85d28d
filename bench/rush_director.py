"""What one director does on the last evening (bench/rush.py), as the browser and its script do it.

Sign in; open the draft; three times: edit the description, get its page count, autosave; then the
draft PDF, submit, and the receipt. Answers that are not ready yet ("counting…", "being
prepared") are polled, within bounds, until what the director waits for arrives.
"""

import random
import secrets
import threading
import time
import urllib.parse

from bench.bare_app import BARE_PATH
from bench.rush_client import TIMEOUT, Answer, Browser, Sample, read_form, refresh_of
from bench.rush_data import PASSWORD, Director

JSON = "application/json"
EDITS = 3
# A page count or a PDF that has not arrived after this long counts as an error.
WAIT_LIMIT = TIMEOUT
PENDING = {"counting", "pending", "queued", "started", "running"}
# The page's script looks again 1 s after "counting…", then every 1.5 s
# (static/js/proposal-form.js). Not the answer's Retry-After: Flask-Limiter puts one on every
# answer (when its window starts again), and obeying it made the bench wait up to 5 s that no
# director waits.
FIRST_POLL_SECONDS, NEXT_POLL_SECONDS = 1.0, 1.5


class Rush:
    def __init__(self, base_url: str, think: tuple[float, float], stop: threading.Event):
        self.base_url = base_url
        self.think = think
        self.stop = stop

    def pause(self) -> None:
        self.stop.wait(random.uniform(*self.think))  # noqa: S311 (think times, not secrets)

    def director(self, director: Director, address: str, samples: list[Sample]) -> None:
        """One director's evening; what they sent last is kept on `director` for the checks."""
        browser = Browser(self.base_url, address, samples)
        if not self.sign_in(browser, director.email):
            return
        edit_path = f"/proposals/{director.proposal_id}/edit"
        page = browser.request("GET edit page", "GET", edit_path)
        form = read_form(page.text, "proposal-form") if page else None
        if form is None:
            page and browser.fail("GET edit page", "no proposal form")
            return
        original = form.get("description") or ""
        for edit in range(1, EDITS + 1):
            if self.stop.is_set():
                return
            self.pause()  # typing
            token = f"rush{director.number}x{edit}x{secrets.token_hex(3)}"
            text = f"{original}\n\nChange {edit} of the evening ({token})."
            form.set("description", text)
            self.page_count(browser, form, text, token)
            self.pause()
            self.autosave(browser, form)
            director.last_text = text
        self.pause()
        self.draft_pdf(browser, f"/proposals/{director.proposal_id}/pdf")
        self.pause()
        answer = browser.request(
            "POST submit", "POST", form.action or edit_path, [*form.fields, ("action", "submit")]
        )
        if answer is None:
            return
        location = answer.headers.get("Location", "")
        if answer.status not in (302, 303) or "/receipt" not in location:
            browser.fail("POST submit", f"no receipt: HTTP {answer.status} to {location or 'nowhere'}")
            return
        director.submitted = True
        browser.request("GET receipt", "GET", urllib.parse.urlsplit(location).path)

    def sign_in(self, browser: Browser, email: str) -> bool:
        page = browser.request("GET sign-in", "GET", "/account/sign-in")
        form = read_form(page.text, None, having="password") if page else None
        if form is None:
            page and browser.fail("GET sign-in", "no sign-in form")
            return False
        form.set("email", email)
        form.set("password", PASSWORD)
        answer = browser.request("POST sign-in", "POST", form.action or "/account/sign-in", form.fields)
        if answer is not None and answer.status not in (302, 303):
            browser.fail("POST sign-in", f"not signed in: HTTP {answer.status}")
            return False
        return answer is not None

    def page_count(self, browser: Browser, form, text: str, token: str) -> None:
        """The live counter's request (static/js/proposal-form.js), polled until the count of THIS
        text arrives: the answer's preview must show the text's token."""
        started, clock = time.time(), time.perf_counter()
        body = [("csrf_token", form.get("csrf_token") or ""), ("description", text)]
        answer = browser.request(
            "POST page count", "POST", form.attributes["data-preview"], body, accept=JSON
        )
        delay = FIRST_POLL_SECONDS
        while answer is not None:
            data = _json(answer)
            if data is None:
                browser.fail("POST page count", f"not JSON: {answer.content_type}")
                return
            if data.get("pages") is not None and token in (data.get("html") or token):
                browser.samples.append(Sample("page count to director", started, time.perf_counter() - clock))
                return
            poll = (
                data.get("poll") or data.get("poll_url") or data.get("url") or answer.headers.get("Location")
            )
            waiting = data.get("status") in PENDING or answer.status == 202 or data.get("pages") is not None
            if not (poll and waiting) or time.perf_counter() - clock > WAIT_LIMIT:
                why = data.get("label") or data.get("status") or "no count and nothing to poll"
                browser.samples.append(
                    Sample("page count to director", started, time.perf_counter() - clock, why)
                )
                return
            self.stop.wait(delay)
            delay = NEXT_POLL_SECONDS
            answer = browser.request("GET page count (poll)", "GET", poll, accept=JSON)

    def autosave(self, browser: Browser, form) -> None:
        answer = browser.request(
            "POST autosave", "POST", form.attributes["data-autosave"], form.fields, accept=JSON
        )
        data = _json(answer) if answer else None
        if answer is None:
            return
        if data is None or data.get("status") not in ("saved", "unchanged"):
            browser.fail("POST autosave", f"not saved: {data}")
            return
        form.set("base_version", str(data["version"]))

    def draft_pdf(self, browser: Browser, path: str) -> None:
        """The PDF, following a "being prepared" page (a refresh, a redirect) until it arrives."""
        started, clock = time.time(), time.perf_counter()
        endpoint = "GET draft PDF"
        while True:
            answer = browser.request(endpoint, "GET", path)
            if answer is None:
                return
            if answer.content_type.startswith("application/pdf") and answer.body.startswith(b"%PDF"):
                browser.samples.append(Sample("draft PDF to director", started, time.perf_counter() - clock))
                return
            if answer.status in (301, 302, 303, 307):
                next_path, delay = answer.headers.get("Location"), 0.0
            else:
                refresh = refresh_of(answer.text) or _refresh_header(answer)
                next_path, delay = (refresh[1] or path, refresh[0]) if refresh else (None, 0.0)
            if next_path is None or time.perf_counter() - clock > WAIT_LIMIT:
                why = f"no PDF: HTTP {answer.status} {answer.content_type}"
                browser.samples.append(
                    Sample("draft PDF to director", started, time.perf_counter() - clock, why)
                )
                return
            self.stop.wait(min(max(delay, 0.5), 5.0))
            path, endpoint = urllib.parse.urlsplit(next_path).path or path, "GET draft PDF (being prepared)"

    def probe(self, browser: Browser, email: str, done: threading.Event) -> None:
        """Beside the rush, until `done`: the bare "hello" route (bench/bare_app.py) and the
        signed-in proposal list."""
        if not self.sign_in(browser, email):
            return
        while not done.is_set():
            browser.request("GET bare route (hello)", "GET", BARE_PATH)
            browser.request("GET proposal list", "GET", "/proposals/")
            done.wait(0.5)


def _json(answer: Answer) -> dict | None:
    if not answer.content_type.startswith(JSON):
        return None
    try:
        return answer.json()
    except ValueError:
        return None


def _refresh_header(answer: Answer) -> tuple[float, str | None] | None:
    """`Refresh: 2; url=/…`, the header twin of the meta refresh."""
    value = answer.headers.get("Refresh")
    if not value:
        return None
    delay, _sep, target = value.partition(";")
    target = target.strip()
    target = target[4:] if target.lower().startswith("url=") else target
    try:
        return float(delay), target or None
    except ValueError:
        return None
