"""Issue 6: programme staff follow submissions and reviews on their dashboard, read the school's
opinion, and remind the directors of unsubmitted drafts, who receive the reminder; then the reviewers
of pending reviews, from the committee's page."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from portal.auth.models import Role
from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db
from portal.reference.models import Campaign
from portal.reviews.models import Assignment
from portal.reviews.services import add_member, assign, committee_of
from tests import factories
from tests.browser import staff_world as world
from tests.browser.conftest import LiveServer
from tests.browser.steps import data, flash, proposals_table, sign_in, unlabelled_controls
from tests.mailsink import MailSink

STAFF = "claire.fontaine@example.org"
# Submitted to SCAI: reviewed by two of its three reviewers; assigned, not reviewed; not assigned.
REVIEWED = "Certified robustness of graph neural networks"
ASSIGNED = "Causal discovery in single-cell data"
UNASSIGNED = "Optimal transport for climate models"
# Unsubmitted SCAI drafts (director -> names, title), and a draft to another initiative.
DRAFTS = {
    "lea.durand@example.org": ("Léa", "Durand", "Unfinished draft on federated learning"),
    "marc.moreau@example.org": ("Marc", "Moreau", "Draft on neural operators"),
}
OTHER_INITIATIVE_DRAFTER = "paul.martin@example.org"
OPINION_COMMENT = "A strong unit; the school supports the project."


def _reviews(campaign, proposals: dict) -> None:
    """Two of three reviews submitted on REVIEWED; two reviewers assigned to ASSIGNED, none done."""
    committee = committee_of(campaign=campaign, initiative=world.initiative(campaign, "SCAI"))
    db.session.commit()
    # Reviews start once the call has closed (submitted_review closes it); the journey then needs
    # it open again for its drafters, so one call shows both: its dates are put back after.
    opens_at, closes_at = campaign.opens_at, campaign.closes_at
    first, second, third = (factories.reviewer() for _ in range(3))
    marks = dict.fromkeys(range(len(committee.criteria)), "4")
    for reviewer in (first, second):
        factories.submitted_review(committee, proposals[REVIEWED], reviewer, marks)
    add_member(committee=committee, user=third)
    for proposal, reviewer in ((REVIEWED, third), (ASSIGNED, first), (ASSIGNED, second)):
        assign(committee=committee, proposal=proposals[proposal], reviewer=reviewer, assigned_by=reviewer)
    campaign.opens_at, campaign.closes_at = opens_at, closes_at
    db.session.commit()


@pytest.fixture
def call(live: LiveServer) -> dict:
    with data(live):
        campaign = world.open_call("ISCD", "SCAI")
        edite, edmh = world.school("ED130", "EDITE"), world.school("ED386", "EDMH")
        people = {
            REVIEWED: ("e.lefevre@example.org", "Élise", "Lefèvre", edite),
            ASSIGNED: ("c.rousseau@example.org", "Camille", "Rousseau", edite),
            UNASSIGNED: ("h.petit@example.org", "Hugo", "Petit", edmh),
        }
        proposals = {
            title: world.submitted(campaign, "SCAI", world.director(*person), title)
            for title, person in people.items()
        }
        for email, (first, last, title) in DRAFTS.items():
            world.draft(campaign, "SCAI", world.director(email, first, last, edmh), title)
        outsider = world.director(OTHER_INITIATIVE_DRAFTER, "Paul", "Martin", edite)
        world.draft(campaign, "ISCD", outsider, "Sparse solvers for exascale machines")
        _reviews(campaign, proposals)
        author = factories.user("ed130@example.org", Role.school_staff, scope=edite)
        db.session.add(
            SchoolOpinion(
                proposal_id=proposals[REVIEWED].id,
                opinion=Opinion.favourable,
                comment=OPINION_COMMENT,
                author_id=author.id,
            )
        )
        db.session.commit()
        scai = world.initiative(campaign, "SCAI")
        return {"staff": world.staff(STAFF, Role.programme_staff, scai, "Claire", "Fontaine")}


def counts(glance: Locator, heading: str, key: str) -> Locator:
    """The cells of row `key` of the "at a glance" table of drafts, submitted and withdrawn per `heading`."""
    page = glance.page
    table = (
        glance.get_by_role("table")
        .filter(has=page.get_by_role("columnheader", name="Drafts", exact=True))
        .filter(has=page.get_by_role("columnheader", name=heading, exact=True))
    )
    return (
        table.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=key, exact=True))
        .get_by_role("cell")
    )


def column(table: Locator, row: Locator, name: str) -> Locator:
    """The cell of `row` under the column headed `name`, wherever the column is."""
    headers = [text.strip() for text in table.get_by_role("columnheader").all_inner_texts()]
    return row.get_by_role("cell").nth(headers.index(name))


def test_programme_staff_follow_progress_and_remind_the_drafters(
    page: Page, live: LiveServer, call: dict, mail_server: MailSink, review_shot
):
    sign_in(page, live.app, STAFF, factories.PASSWORD, totp_secret=call["staff"].secret)
    page.get_by_role("region", name="Programme staff").get_by_role("link", name="Proposals followed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals followed")

    glance = page.get_by_role("region", name="AAP 2026 at a glance")
    expect(glance).to_contain_text("Deadline:")
    # Drafts, submitted, withdrawn: SCAI only, the initiative they follow.
    expect(counts(glance, "Initiative or institute", "SCAI")).to_have_text(["2", "3", "0"])
    expect(glance.get_by_role("rowheader", name="ISCD", exact=True)).to_have_count(0)
    expect(counts(glance, "Doctoral school of the director", "ED130")).to_have_text(["0", "2", "0"])
    expect(counts(glance, "Doctoral school of the director", "ED386")).to_have_text(["2", "1", "0"])
    # The committee's progress: submitted, with reviewers, reviews submitted, decisions, deadline.
    committee = glance.get_by_role("table", name="Committee review")
    scai = committee.get_by_role("row").filter(has=page.get_by_role("rowheader", name="SCAI", exact=True))
    expect(scai.get_by_role("cell")).to_have_text(["3", "2 of 3", "2 of 5", "0 of 3", "not set"])

    table = proposals_table(page)
    expect(table.locator("caption")).to_have_text("5 proposals")
    expect(table).not_to_contain_text("Sparse solvers for exascale machines")
    rows = {
        title: table.get_by_role("row").filter(has_text=title) for title in (REVIEWED, ASSIGNED, UNASSIGNED)
    }
    expect(column(table, rows[REVIEWED], "Committee review")).to_have_text("2 of 3 reviews submitted")
    expect(column(table, rows[ASSIGNED], "Committee review")).to_have_text("0 of 2 reviews submitted")
    expect(column(table, rows[UNASSIGNED], "Committee review")).to_have_text("No reviewer assigned")
    # The school's opinion is shown to programme staff, who cannot change it.
    expect(rows[REVIEWED].locator(".badge.opinion-favourable")).to_have_text("Favourable")
    expect(rows[REVIEWED]).to_contain_text(OPINION_COMMENT)
    expect(table.get_by_role("button", name="Record the opinion")).to_have_count(0)
    assert unlabelled_controls(page) == []
    review_shot(page, "programme staff dashboard")

    assert mail_server.messages == []
    # Two steps: a page says who will be reminded of what; nothing is sent before it is confirmed.
    glance.get_by_role("link", name="Remind the directors of unsubmitted drafts…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remind the directors of unsubmitted drafts")
    main = page.get_by_role("main")
    expect(main).to_contain_text("2 directors will each receive an e-mail")
    expect(main).to_contain_text("2 unsubmitted drafts in open calls")
    for email, (first, last, title) in DRAFTS.items():
        director = main.get_by_role("row").filter(has_text=email)
        expect(director).to_contain_text(f"{first} {last.upper()}")
        expect(director).to_contain_text(title)
    expect(main).not_to_contain_text("Sparse solvers for exascale machines")
    assert unlabelled_controls(page) == []
    review_shot(page, "reminders to confirm")
    assert mail_server.messages == []
    main.get_by_role("button", name="Send 2 reminders").click()
    expect(flash(page)).to_contain_text("2 reminders sent.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposals followed")
    for email, (*_, title) in DRAFTS.items():
        reminder = mail_server.last_to(email)
        assert reminder["Subject"] == "Reminder: 1 proposal(s) not submitted yet", reminder["Subject"]
        text = MailSink.text(reminder)
        assert title in text and "AAP 2026" in text
        assert mail_server.link_in(reminder) == "/proposals/"
    assert mail_server.to(OTHER_INITIATIVE_DRAFTER) == []
    assert len(mail_server.messages) == 2

    # The deadline passes and reviews open. The reviewers too: the committee's page shows each
    # one's progress, and reminds those with reviews pending after a page saying who is e-mailed
    # about which reviews.
    with data(live):
        campaign = db.session.scalar(select(Campaign).where(Campaign.year == 2026))
        factories.close_call(campaign)
    mail_server.clear()
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Committees").click()
    page.get_by_role("row").filter(has_text="AAP 2026").filter(has_text="SCAI").get_by_role(
        "link", name="Open"
    ).click()
    progress = page.get_by_role("region", name="Reviewers' progress")
    expect(progress).to_contain_text("2 of 5 reviews submitted.")
    expect(progress.locator("tbody tr")).to_have_count(3)
    expect(progress.locator("tbody tr td:last-child")).to_have_text(["never"] * 3)
    with data(live):
        pending = {
            assignment.reviewer.email: assignment.proposal.title
            for assignment in db.session.scalars(select(Assignment))
            if assignment.review is None
        }
    review_shot(page, "reviewers' progress")
    progress.get_by_role("link", name="Remind the reviewers of their pending reviews…").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Remind the reviewers of their pending reviews")
    main = page.get_by_role("main")
    expect(main).to_contain_text("3 reviewers will each receive an e-mail")
    listed = main.locator("table.remind-list tbody tr")
    expect(listed).to_have_count(3)
    for email in pending:
        expect(listed.filter(has_text=email)).to_contain_text("Not started")
    expect(listed.filter(has_text=ASSIGNED)).to_have_count(2)
    assert unlabelled_controls(page) == []
    review_shot(page, "reviewer reminders to confirm")
    assert mail_server.messages == []
    main.get_by_role("button", name="Send 3 reminders").click()
    expect(flash(page)).to_contain_text("3 reminders sent.")
    expect(progress.locator("tbody tr td:last-child")).to_have_text([re.compile(r", \d\d:\d\d$")] * 3)
    for email in pending:
        reminder = mail_server.last_to(email)
        assert "review(s) to submit for SCAI" in reminder["Subject"], reminder["Subject"]
        assert mail_server.link_in(reminder) == "/reviews/"
    assert len(mail_server.messages) == 3
