"""Steps shared by the journeys, written as a user performs them."""

import gettext
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pyotp
from playwright.sync_api import Page, expect

FRENCH_CATALOGUE = Path(__file__).resolve().parents[2] / "translations" / "fr" / "LC_MESSAGES" / "messages.mo"


@contextmanager
def data(live):
    """Write test data with tests/factories.py, through the same database the server reads."""
    with live.app.app_context():
        yield


@cache
def _french() -> gettext.NullTranslations:
    if not FRENCH_CATALOGUE.exists():
        return gettext.NullTranslations()
    with FRENCH_CATALOGUE.open("rb") as catalogue:
        return gettext.GNUTranslations(catalogue)


def french(text: str) -> str | None:
    """The French the pages show for `text`, or None while the catalogue lacks it."""
    translated = _french().gettext(text)
    return translated if translated != text else None


def in_french(text: str) -> str:
    """What a French page shows: the translation once there is one, the English until then."""
    return french(text) or text


def sign_in(page: Page, email: str, password: str, *, totp_secret: str | None = None, lang: str = "en"):
    """Sign in from the sign-in page, typing the authenticator's code when the account has one."""
    say = in_french if lang == "fr" else str
    page.goto("/account/sign-in")
    page.get_by_label(say("E-mail")).fill(email)
    page.get_by_label(say("Password"), exact=True).fill(password)
    page.get_by_role("button", name=say("Sign in"), exact=True).click()
    if totp_secret is not None:
        expect(page).to_have_url("/account/two-factor")
        page.get_by_label(say("Code")).fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name=say("Verify")).click()
