"""Steps shared by the journeys, written as a user performs them."""

from contextlib import contextmanager

import pyotp
from flask import Flask
from flask_babel import force_locale, gettext
from playwright.sync_api import Locator, Page, expect


@contextmanager
def data(live):
    """Write test data with tests/factories.py, through the same database the server reads."""
    with live.app.app_context():
        yield


def shown(app: Flask, text: str, lang: str, **variables) -> str:
    """What the server prints for `text` in `lang`.

    Asked of the running app rather than read from the .mo file, so that the test expects exactly
    the catalogue the server loaded, even while the translations are being rewritten on disk.
    """
    with app.test_request_context(), force_locale(lang):
        return gettext(text, **variables)


def has_french(app: Flask) -> bool:
    return shown(app, "Sign in", "fr") != "Sign in"


def sign_in(page: Page, app: Flask, email: str, password: str, *, totp_secret: str | None = None):
    """Sign in from the sign-in page, in the language the page is in, typing the authenticator's code
    when the account has one."""
    page.goto("/account/sign-in")
    lang = page.locator("html").get_attribute("lang") or "en"
    page.get_by_label(shown(app, "E-mail", lang), exact=True).fill(email)
    page.get_by_label(shown(app, "Password", lang), exact=True).fill(password)
    page.get_by_role("button", name=shown(app, "Sign in", lang), exact=True).click()
    if totp_secret is not None:
        expect(page).to_have_url("/account/two-factor")
        page.get_by_label(shown(app, "Code", lang), exact=True).fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name=shown(app, "Verify", lang), exact=True).click()


def flash(page: Page) -> Locator:
    """The messages at the top of the page, after a form is sent."""
    return page.locator(".flashes[role=status]")


def proposals_table(page: Page) -> Locator:
    """The list of the staff dashboard, told from the "at a glance" tables by its Director column."""
    return page.get_by_role("table").filter(has=page.get_by_role("columnheader", name="Director", exact=True))


# The controls a screen reader would announce without a name: no <label>, no aria-label(ledby),
# and, for buttons, no text.
_UNLABELLED = """() => [...document.querySelectorAll("input:not([type=hidden]), select, textarea, button")]
    .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
        && !el.getAttribute("aria-labelledby") && !(el.tagName === "BUTTON" && el.innerText.trim()))
    .map(el => el.outerHTML.slice(0, 120))"""


def unlabelled_controls(page: Page) -> list[str]:
    """The form controls of the page that have no accessible name."""
    return page.evaluate(_UNLABELLED)
