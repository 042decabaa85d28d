"""'Fill from their profile' with JavaScript: the block fills in place, the message beside the address,
and an address whose owner shares nothing fills nothing."""

import re

from playwright.sync_api import Page, expect

from portal.auth.models import Role
from tests import factories
from tests.browser.steps import data, sign_in


def test_the_co_supervisor_block_fills_in_place_from_a_shared_profile(page: Page, live, shot):
    with data(live):
        proposal = factories.proposal()
        director, proposal_id = proposal.owner.email, proposal.id
        unit = factories.research_unit("UMR8626")
        factories.user(
            "marie.dubois@example.org",
            Role.supervisor,
            first_name="Marie",
            last_name="Dubois",
            title="Maîtresse de conférences",
            research_unit=unit,
            findable_as_co_supervisor=True,
        )
        factories.user("hidden@example.org", first_name="Hidden", last_name="Person")
    sign_in(page, live.app, director, factories.PASSWORD)
    page.goto(f"/proposals/{proposal_id}/edit")
    block = page.locator("#proposal-form").get_by_role("group", name=re.compile(r"^\d Co-supervisor"))
    status = block.locator("#co-supervisor-lookup")

    block.get_by_label("E-mail", exact=True).fill("hidden@example.org")
    block.get_by_role("button", name="Fill from their profile").click()
    expect(status).to_contain_text("No profile is shared at this address")
    expect(block.get_by_label("Last name", exact=True)).to_have_value("")

    block.get_by_label("E-mail", exact=True).fill("marie.dubois@example.org")
    block.get_by_role("button", name="Fill from their profile").click()
    expect(status).to_have_text("Filled in from the profile of Marie Dubois: check the details.")
    expect(block.get_by_label("Last name", exact=True)).to_have_value("Dubois")
    expect(block.get_by_label("Title or position")).to_have_value("Maîtresse de conférences")
    # Their unit is in the list: chosen there, the fields for a typed unit left empty.
    expect(block.get_by_label("Research unit", exact=True)).to_have_value("UMR8626")
    expect(block.get_by_label("Unit code")).to_have_value("")
    # In place: the page was not sent, and the filled block is saved like anything typed.
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}/edit$"))
    expect(page.locator("#save-status")).to_have_text("All changes saved.")
    shot(page, "co-supervisor filled in place", phone=False)
