"""At one university, in Chromium: every member shares the directors' e-mail domain, so each pair
is a suspected conflict; programme staff read why, waive one with a reason (refused without one,
next to the field), then assign the member; the director's "not to review" names are on the board."""

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth import totp
from portal.auth.models import Role
from portal.extensions import db
from portal.reviews.services import add_member, committee_of
from tests import factories
from tests.browser.conftest import LiveServer, PageProblems
from tests.browser.steps import data, sign_in

STAFF = "claire.fontaine@sorbonne-universite.fr"
MEMBER = "alice.moreau@sorbonne-universite.fr"
REASON = "Same university, another faculty: they have never worked together."


@pytest.fixture
def board(live: LiveServer) -> dict:
    with data(live):
        scai = factories.initiative("SCAI")
        campaign = factories.campaign(2026, name="AAP 2026")
        campaign.initiatives.append(scai)
        db.session.commit()
        director = factories.user("sylvain.lamprier@sorbonne-universite.fr", first_name="Sylvain")
        proposal = factories.submitted_proposal(
            campaign, director, excluded_reviewers=[{"name": "Jean Rival", "email": "jean.rival@cnrs.fr"}]
        )
        committee = committee_of(campaign=campaign, initiative=scai)
        member = factories.user(MEMBER, Role.reviewer, first_name="Alice", last_name="Moreau")
        add_member(committee=committee, user=member)
        staff = factories.user(STAFF, Role.programme_staff, scope=scai, two_factor=True)
        db.session.commit()
        return {
            "path": f"/reviews/committees/{committee.id}/assignments",
            "proposal": proposal.id,
            "member": member.id,
            "secret": totp.secret_of(staff),
        }


def test_staff_waive_a_suspected_conflict_then_assign(
    page: Page, live: LiveServer, board: dict, page_problems: PageProblems, shot
):
    page_problems.allow(r"status of 400")  # the waiver without a reason, on purpose
    sign_in(page, live.app, STAFF, factories.PASSWORD, totp_secret=board["secret"])
    page.goto(board["path"])
    row = page.locator(f"#proposal-{board['proposal']}")
    expect(row).to_contain_text("Not to review, says the director: Jean Rival <jean.rival@cnrs.fr>")
    expect(row.locator("td")).to_contain_text("Suspected conflict")
    expect(row.locator("td")).to_contain_text("Same e-mail domain as the director (sorbonne-universite.fr).")
    expect(row.get_by_role("button", name=re.compile("^Assign"))).to_have_count(0)

    row.get_by_role("link", name="Confirm or waive").click()
    ruling = page.locator(f"#ruling-{board['proposal']}-{board['member']}")
    ruling.get_by_role("button", name="Waive the conflict").click()
    ruling = page.locator(f"#ruling-{board['proposal']}-{board['member']}")
    reason = ruling.get_by_label("Reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(ruling.locator(".error")).to_have_text("Say why, for the audit log.")
    shot(page, "waiver refused without a reason", phone=False)

    reason.fill(REASON)
    ruling.get_by_role("button", name="Waive the conflict").click()
    expect(page.locator(".flashes[role=status]")).to_contain_text("The conflict of Alice Moreau is waived.")
    row = page.locator(f"#proposal-{board['proposal']}")
    expect(row.locator("td")).to_contain_text("Conflict waived")
    ruled = page.locator(f"#ruling-{board['proposal']}-{board['member']}")
    expect(ruled).to_contain_text(REASON)
    expect(ruled.get_by_role("button", name="Waive the conflict")).to_have_count(0)
    expect(ruled.get_by_role("button", name="Confirm the conflict")).to_be_visible()
    shot(page, "conflict waived with its reason", phone=False)

    row.get_by_role("button", name=re.compile("^Assign")).click()
    expect(page.locator(".flashes[role=status]")).to_contain_text("Alice Moreau is assigned")
    with data(live):
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.waived"))
        assert event.details["reason"] == REASON
