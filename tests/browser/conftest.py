"""Browser journeys: the real app on a real port, driven by Debian's Chromium through Playwright.

Every test in this folder is marked `browser`, so `pytest -m "not browser"` runs without Chromium.
"""

import re
import shutil
import threading
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import BaseWSGIServer, make_server

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from tests.browser.accessibility import serious_violations
from tests.databases import Emptier, sqlite_directory

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# Screenshots to be looked at by hand during a review of the layout, kept out of the repository.
REVIEW_SCREENSHOTS = Path("/tmp/shots")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Short waits: every page is served from localhost, so a missing element is a failure, not latency.
TIMEOUT_MS = 5_000

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    # The hook sees the whole session's items; only this folder's tests are browser tests.
    for item in items:
        if Path(item.path).is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)
            # Under xdist (--dist loadgroup) a file's journeys run one after another in one worker,
            # which starts its own Chromium and live server; the files spread over the workers.
            item.add_marker(pytest.mark.xdist_group(f"browser-{Path(item.path).stem}"))


@dataclass
class LiveServer:
    app: Flask
    url: str
    emptier: Emptier = field(repr=False)


@pytest.fixture(scope="session")
def live_server(mail_server) -> Iterator[LiveServer]:
    database = sqlite_directory() / f"prd_browser_{uuid.uuid4().hex[:10]}.sqlite3"
    config = type(
        "BrowserConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "MAIL_PORT": mail_server.port,
            # Links in e-mails must point at whatever host and port the browser used.
            "SERVER_NAME": None,
        },
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        emptier = Emptier(db.engine)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", emptier=emptier)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.engine.dispose()
    database.unlink()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium. "
            "Install it with `apt-get install chromium` (or skip them with -m 'not browser').",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live(live_server, mail_server, apps) -> Iterator[LiveServer]:
    """The shared server, with an empty database, an empty mailbox and fresh rate-limit counters;
    the tests' task worker runs its tasks meanwhile."""
    apps.task_worker.serve(live_server.app)
    with live_server.app.app_context():
        live_server.emptier(db.engine)
        # Every journey comes from 127.0.0.1: one test's sign-ins must not count against the next one.
        limiter.reset()
    mail_server.clear()
    yield live_server
    apps.task_worker.wait_idle()
    apps.task_worker.purge()


@dataclass
class PageProblems:
    """What a user would not see but must not happen: server errors, script errors, CSP refusals.

    Chromium also logs every 4xx answer as a console error; a journey that expects one says so
    with `allow`.
    """

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(p.search(m) for p in self.allowed)]

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.messages.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                self.messages.append(f"HTTP {response.status} for {response.url}")
                if response.status >= 500
                else None
            ),
        )


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def open_page(live, chromium, page_problems) -> Iterator[Callable[..., Page]]:
    """Open a page in a brand-new browser context (its own cookies), like another person's browser."""
    contexts: list[BrowserContext] = []

    def opener(locale: str = "en-GB") -> Page:
        context = chromium.new_context(base_url=live.url, viewport=DESKTOP, locale=locale)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page_problems.watch(page)
        return page

    yield opener
    for context in contexts:
        context.close()
    unexpected = page_problems.unexpected()
    assert not unexpected, "the browser reported problems:\n" + "\n".join(unexpected)


@pytest.fixture
def page(open_page) -> Page:
    return open_page()


class PhoneLayoutWarning(UserWarning):
    """A page wider than a phone's screen: the reader must scroll sideways."""


class Screens:
    """Numbered full-page screenshots of each step, at desktop width and again at phone width.

    A page that overflows the phone's width is reported as a warning, not a failure: the journey
    still works, but the layout needs fixing. A serious or critical accessibility violation (axe-core)
    at either width fails the test once it has run its journey, with every step's findings listed.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        # axe-core's serious and critical findings at each step; the test fails on them at its end.
        self.problems: list[str] = []

    def __call__(self, page: Page, step: str, *, phone: bool = True) -> None:
        self.count += 1
        name = f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}"
        page.screenshot(path=self.folder / f"{name}.png", full_page=True)
        self.problems += [f"{page.url}, desktop, step {name}: {v}" for v in serious_violations(page)]
        if phone:
            size = page.viewport_size or DESKTOP
            page.set_viewport_size(PHONE)
            page.screenshot(path=self.folder / f"{name}.phone.png", full_page=True)
            self.problems += [f"{page.url}, phone, step {name}: {v}" for v in serious_violations(page)]
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                warnings.warn(
                    f"{page.url} is {width}px wide on a {PHONE['width']}px phone (step {name})",
                    PhoneLayoutWarning,
                    stacklevel=2,
                )
            page.set_viewport_size(size)


def _screens(root: Path, request) -> Iterator[Screens]:
    folder = root / re.sub(r"[^\w.-]+", "_", request.node.name)
    # Screenshots of an earlier run would be mistaken for this run's steps.
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    screens = Screens(folder)
    yield screens
    found = "\n".join(screens.problems)
    assert not found, f"accessibility (axe-core, serious or critical):\n{found}"


@pytest.fixture
def shot(request) -> Iterator[Screens]:
    yield from _screens(SCREENSHOTS, request)


@pytest.fixture
def review_shot(request) -> Iterator[Screens]:
    """Like `shot`, into /tmp/shots/."""
    yield from _screens(REVIEW_SCREENSHOTS, request)
