"""On a phone, the students tables are one card per student: no column off-screen, no name cut."""

from playwright.sync_api import Page

from portal.extensions import db
from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.steps import data, sign_in

LONG_NAME = "Marie-Charlotte de La Rochefoucauld"


def _off_screen_or_cut(page: Page, selector: str) -> list[str]:
    """The cells (or inputs) of `selector` that leave the screen or do not show all they hold."""
    return page.eval_on_selector_all(
        selector,
        """(elements, width) => elements.flatMap((element) => {
            const box = element.getBoundingClientRect();
            const problems = [], html = element.outerHTML.slice(0, 80);
            if (box.left < 0 || box.right > width) problems.push(`off-screen: ${html}`);
            if (element.scrollWidth > element.clientWidth + 1) problems.push(`cut: ${html}`);
            return problems;
        })""",
        PHONE["width"],
    )


def test_students_are_cards_on_a_phone_in_the_form_and_on_the_proposal_page(page: Page, live, shot):
    with data(live):
        proposal = factories.proposal()
        content = dict(proposal.content)
        content["director"] = {
            **content["director"],
            "students": [
                {"name": LONG_NAME, "start": "2023-09", "funding": "Contrat doctoral ED130", "share": 40},
                {"name": "Ada Martin", "start": "2022-09", "funding": "contrat ANR", "share": 30},
            ],
        }
        proposal.content = content
        db.session.commit()
        director, proposal_id = proposal.owner.email, proposal.id
    page.set_viewport_size(PHONE)
    sign_in(page, live.app, director, factories.PASSWORD)

    page.goto(f"/proposals/{proposal_id}/edit")
    table = page.locator("#students-director table")
    assert table.get_by_label("Name 1").input_value() == LONG_NAME
    assert not _off_screen_or_cut(page, "#students-director td")
    # An input as wide as its card, like every field of the form (a longer name scrolls in it).
    name, card = table.get_by_label("Name 1").bounding_box(), table.locator("tbody tr").first.bounding_box()
    assert name["x"] >= 0 and name["x"] + name["width"] <= PHONE["width"]
    assert name["width"] >= 0.85 * card["width"]
    # Each value says which column it belongs to, since the header row is hidden.
    assert "Share" in table.locator("tbody tr").first.locator("td").nth(3).evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    shot(page, "students as cards on a phone", phone=False)

    page.goto(f"/proposals/{proposal_id}")
    assert page.get_by_role("cell", name=LONG_NAME).is_visible()
    assert not _off_screen_or_cut(page, "main table.stack td")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
