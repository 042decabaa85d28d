"""The language buttons of the header: the page changes language and the choice sticks."""

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.steps import data, french, in_french, sign_in

HEADING = "Doctoral research project proposals"


def expect_language(page: Page, code: str, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    switch = page.get_by_role("form", name=in_french("Language") if code == "fr" else "Language")
    expect(switch.get_by_role("button", name=name)).to_have_attribute("aria-current", "true")
    expect(switch.locator("[aria-current]")).to_have_count(1)


def test_language_switch_changes_the_page_and_is_remembered(page: Page, live, shot):
    with data(live):
        factories.user("lea.moreau@example.org", first_name="Léa", last_name="Moreau")
    heading = page.get_by_role("heading", level=1)
    # The browser asks for English: French on later pages can only come from the remembered choice.
    page.goto("/")
    expect_language(page, "en", "English")
    expect(heading).to_have_text(HEADING)

    page.get_by_role("button", name="English").click()
    expect_language(page, "en", "English")
    expect(heading).to_have_text(HEADING)
    shot(page, "english")

    page.get_by_role("button", name="Français").click()
    expect_language(page, "fr", "Français")
    if french(HEADING) is not None:
        expect(heading).to_have_text(french(HEADING))
    shot(page, "francais")

    page.goto("/account/sign-in")
    expect_language(page, "fr", "Français")
    expect(heading).to_have_text(in_french("Sign in"))
    shot(page, "next page still in french")

    sign_in(page, "lea.moreau@example.org", factories.PASSWORD, lang="fr")
    expect(page).to_have_url(f"{live.url}/")
    expect_language(page, "fr", "Français")
    expect(heading).to_contain_text("Léa Moreau")
    if french("Hello %(name)s") is not None:
        expect(heading).to_have_text(french("Hello %(name)s") % {"name": "Léa Moreau"})
    shot(page, "signed in, still in french")
