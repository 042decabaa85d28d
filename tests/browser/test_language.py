"""The language buttons of the header: the page changes language and the choice sticks."""

from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.steps import data, has_french, shown, sign_in

HEADING = "Doctoral research project proposals"
FRENCH_HEADING = "Propositions de projets de recherche doctoraux"


def expect_language(page: Page, app, code: str, name: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    switch = page.get_by_role("form", name=shown(app, "Language", code))
    expect(switch.get_by_role("button", name=name)).to_have_attribute("aria-current", "true")
    expect(switch.locator("[aria-current]")).to_have_count(1)


def test_language_switch_changes_the_page_and_is_remembered(page: Page, live, shot):
    # Until the French catalogue is compiled, French pages show the English text: only the language
    # markers can be checked then.
    french = has_french(live.app)
    with data(live):
        # No language stored on the account: an account's own language outranks the visitor's choice.
        factories.user("lea.moreau@example.org", first_name="Léa", last_name="Moreau")
    heading = page.get_by_role("heading", level=1)
    # The browser asks for English: French on later pages can only come from the remembered choice.
    page.goto("/")
    expect_language(page, live.app, "en", "English")
    expect(heading).to_have_text(HEADING)

    page.get_by_role("button", name="English").click()
    expect_language(page, live.app, "en", "English")
    expect(heading).to_have_text(HEADING)
    shot(page, "english")

    page.get_by_role("button", name="Français").click()
    expect_language(page, live.app, "fr", "Français")
    if french:
        expect(heading).to_have_text(FRENCH_HEADING)
    shot(page, "francais")

    page.goto("/account/sign-in")
    expect_language(page, live.app, "fr", "Français")
    expect(heading).to_have_text(shown(live.app, "Sign in", "fr"))
    shot(page, "next page still in french")

    sign_in(page, live.app, "lea.moreau@example.org", factories.PASSWORD)
    expect(page).to_have_url(f"{live.url}/")
    expect_language(page, live.app, "fr", "Français")
    expect(heading).to_have_text(shown(live.app, "Hello %(name)s", "fr", name="Léa Moreau"))
    if french:
        expect(heading).not_to_have_text("Hello Léa Moreau")
    shot(page, "signed in, still in french")
