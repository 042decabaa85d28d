"""A supervisor's account in the browser: sign-up, confirmation e-mail, sign-in, sign-out, form errors,
and the sign-in page used with the keyboard alone."""

import re

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.steps import data
from tests.mailsink import MailSink

EMAIL = "sylvie.lambert@example.org"
PASSWORD = "a long enough secret"


def fill_sign_up(page: Page, *, password: str, confirm: str) -> None:
    page.get_by_label("First name").fill("Sylvie")
    page.get_by_label("Last name").fill("Lambert")
    page.get_by_label("Professional e-mail").fill("Sylvie.Lambert@Example.org")
    page.get_by_label("New password").fill(password)
    page.get_by_label("Repeat the password").fill(confirm)


def test_supervisor_signs_up_confirms_signs_in_and_out(page: Page, live, mail_server: MailSink, shot):
    page.goto("/")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(f"{live.url}/account/sign-up")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a supervisor account")
    fill_sign_up(page, password=PASSWORD, confirm=PASSWORD)
    shot(page, "sign-up form filled")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    expect(page.get_by_role("main")).to_contain_text("We have sent a message to Sylvie.Lambert@Example.org")
    shot(page, "check your inbox")
    # A reload shows the same page and sends nothing more (redirected after the POST).
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert len(mail_server.to(EMAIL)) == 1

    message = mail_server.last_to(EMAIL)
    assert "Sylvie Lambert" in MailSink.text(message)
    path = mail_server.link_in(message)
    # The link must lead back to the server the person signed up on, not to some configured host.
    assert f"{live.url}{path}" in MailSink.text(message)
    page.goto(path)

    # The link proves the address: the new supervisor is signed in at once.
    expect(page).to_have_url(f"{live.url}/")
    expect(page.get_by_role("status")).to_contain_text(
        "Your e-mail address is confirmed, and you are signed in."
    )
    shot(page, "e-mail confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Sylvie Lambert")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu).to_contain_text("Sylvie Lambert")
    expect(page.get_by_role("heading", name="My proposals")).to_be_visible()
    shot(page, "dashboard")

    menu.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out, on every device.")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()
    shot(page, "signed out")

    page.goto("/account/profile")
    expect(page).to_have_url(re.compile(r"/account/sign-in\?next=%2Faccount%2Fprofile$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("status")).to_contain_text("Please sign in to open this page.")
    shot(page, "profile asks to sign in")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(f"{live.url}/account/profile")

    # A unit the list lacks: typed, its code checked beside the field, then stored one way.
    page.get_by_label("Acronym of the unit").fill("LCQB")
    page.get_by_label("Unit name").fill("Laboratoire de biologie computationnelle et quantitative")
    page.get_by_label("Unit code").fill("UMR 72")
    page.get_by_role("button", name="Save my profile").click()
    code = page.get_by_label("Unit code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_have_accessible_description(re.compile(r"such as UMR 7606 or EA 4512\.$"))
    expect(page.get_by_label("Acronym of the unit")).to_have_value("LCQB")
    shot(page, "profile unit code refused")
    code.fill("umr 7238")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page.get_by_label("Unit code")).to_have_value("UMR7238")
    shot(page, "profile with a typed unit")


def test_a_form_error_keeps_what_was_typed(page: Page, mail_server: MailSink, shot):
    page.goto("/account/sign-up")
    fill_sign_up(page, password="short", confirm="short")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Create a supervisor account")
    password = page.get_by_label("New password")
    expect(password).to_have_attribute("aria-invalid", "true")
    # The error is part of what a screen reader announces on the field, after the help text.
    expect(password).to_have_accessible_description(re.compile(r"Use at least 10 characters\.$"))
    error_id = (password.get_attribute("aria-describedby") or "").split()[-1]
    error = page.locator(f"[id='{error_id}']")
    expect(error).to_have_text("Use at least 10 characters.")
    expect(error).to_be_visible()
    # "Next to the field": the message sits right under the input, not at the top of the form.
    field_box, error_box = password.bounding_box(), error.bounding_box()
    assert field_box and error_box
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40

    expect(page.get_by_label("First name")).to_have_value("Sylvie")
    expect(page.get_by_label("Last name")).to_have_value("Lambert")
    expect(page.get_by_label("Professional e-mail")).to_have_value("Sylvie.Lambert@Example.org")
    # Passwords are never sent back in the page.
    expect(password).to_have_value("")
    shot(page, "password too short")
    assert mail_server.messages == []


def tab_until(page: Page, target, *, limit: int = 25) -> int:
    """Press Tab until `target` has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return presses
    raise AssertionError(f"{target} not reached after {limit} presses of Tab")


def has_focus_ring(locator) -> bool:
    return locator.evaluate("element => getComputedStyle(element).outlineStyle !== 'none'")


def test_sign_in_with_the_keyboard_alone(page: Page, live, shot):
    with data(live):
        factories.user("keyboard@example.org", first_name="Kim", last_name="Keys")
    page.goto("/account/sign-in")

    skip = page.get_by_role("link", name="Skip to content")
    assert tab_until(page, skip, limit=1) == 1
    expect(skip).to_be_in_viewport()
    assert has_focus_ring(skip)
    shot(page, "skip link focused", phone=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    email = page.get_by_label("E-mail")
    assert tab_until(page, email, limit=1) == 1
    page.keyboard.type("keyboard@example.org")
    password = page.get_by_label("Password", exact=True)
    assert tab_until(page, password, limit=1) == 1
    page.keyboard.type(factories.PASSWORD)
    button = page.get_by_role("button", name="Sign in", exact=True)
    tab_until(page, button, limit=3)
    assert has_focus_ring(button)
    shot(page, "sign-in button focused", phone=False)
    page.keyboard.press("Enter")

    # The skip link's #main stays on the URL through the post and redirect, as browsers do.
    expect(page).to_have_url(re.compile(rf"^{re.escape(live.url)}/(#main)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Kim Keys")
    shot(page, "signed in")


def test_a_page_left_open_gets_a_fresh_csrf_token(page: Page, live):
    """static/js/portal.js refreshes the token when the page comes back to the foreground."""
    page.goto("/account/sign-up")
    fill_sign_up(page, password=PASSWORD, confirm=PASSWORD)
    token = page.locator('input[name="csrf_token"]').first
    token.evaluate("input => { input.value = 'stale'; }")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(token).not_to_have_value("stale")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
