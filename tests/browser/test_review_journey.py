"""A call's committee from set-up to published decisions in Chromium: programme staff compose the
committee and confirm an automatic assignment, a reviewer declares a conflict and writes a review
(autosaved as they type; the other reviews hidden until theirs is submitted), staff rank, decide
and publish, and the director reads the decision, the chair's summary and only the comments meant
for them, under letters: the committee is anonymous."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import func, select

from portal.auth import totp
from portal.auth.models import Role, User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import (
    Assignment,
    Committee,
    Decision,
    DeclaredConflict,
    Outcome,
    Review,
    ReviewState,
    ReviewVisibility,
)
from portal.timezones import PARIS
from tests import factories
from tests.browser.conftest import LiveServer, PageProblems
from tests.browser.steps import data, sign_in
from tests.mailsink import MailSink

STAFF = "claire.fontaine@example.org"
REVIEWER = "alice.moreau@other-university.test"
SECOND_REVIEWER = "bruno.petit@other-university.test"
INVITED = "chloe.garnier@elsewhere.test"
# Director of each proposal, and its title.
PROPOSALS = {
    "sylvain.lamprier@example.org": ("Sylvain", "Lamprier", "Memorization in deep networks"),
    "marie.dubois@example.org": ("Marie", "Dubois", "Quantum sensing of soft matter"),
    "jean.perrin@example.org": ("Jean", "Perrin", "Statistical learning of protein folding"),
}
CONFLICT_REASON = "I co-authored two papers with the director last year."
# What the reviewer under test writes, and what the seeded co-reviewers wrote.
OWN_FOR_COMMITTEE = "Strong candidate pool; the second year plan is thin."
OWN_FOR_APPLICANT = "A clear and ambitious project; detail the second year."
CO_FOR_COMMITTEE = "Confidential: the lab already has three funded students."
CO_FOR_APPLICANT = "The state of the art section is convincing."
SUMMARY = "Two supportive reviews: the state of the art is **convincing**; detail the second year."
RAW_TOTAL = re.compile(r"^\d{1,3}$")
# A z-score mean, or "—" when every reviewer has too few reviews to be normalised (said in words).
NORMALISED_TOTAL = re.compile(r"^([+-]\d+\.\d\d|—)\s*(too few reviews \(\d+/\d+\))?$")


@dataclass
class Call:
    committee_count: int
    proposals: dict[str, int]  # director e-mail -> proposal id
    staff_secret: str


@pytest.fixture
def call(live: LiveServer) -> Call:
    """The open call AAP 2026 of SCAI with three submitted proposals, two reviewer accounts from
    another university (no shared e-mail domain), and SCAI's programme staff with two-factor sign-in."""
    with data(live):
        initiative = factories.initiative("SCAI", name="Sorbonne Center for Artificial Intelligence")
        campaign = factories.campaign(2026, name="AAP 2026")
        campaign.initiatives.append(initiative)
        db.session.commit()
        school = factories.doctoral_school("ED130", acronym="EDITE")
        proposals = {}
        for email, (first, last, title) in PROPOSALS.items():
            owner = factories.user(email, first_name=first, last_name=last, hdr=True)
            content = factories.complete_content(initiative=initiative, school=school, email=email)
            director = content["director"] | {"first_name": first, "last_name": last}
            proposals[email] = factories.submitted_proposal(
                campaign, owner, title=title, director=director
            ).id
        # Like factories.reviewer(), with the addresses the test types.
        for email, first, last in ((REVIEWER, "Alice", "Moreau"), (SECOND_REVIEWER, "Bruno", "Petit")):
            factories.user(email, Role.supervisor, Role.reviewer, first_name=first, last_name=last)
        staff = factories.user(
            STAFF,
            Role.programme_staff,
            scope=initiative,
            two_factor=True,
            first_name="Claire",
            last_name="Fontaine",
        )
        return Call(
            committee_count=db.session.scalar(select(func.count(Committee.id))),
            proposals=proposals,
            staff_secret=totp.secret_of(staff),
        )


def paris_input(days: int) -> str:
    """A datetime-local value `days` from now, at 18:00 in Paris."""
    day = (datetime.now(PARIS) + timedelta(days=days)).date()
    return f"{day.isoformat()}T18:00"


def flash(page: Page) -> Locator:
    return page.locator(".flashes[role=status]")


def count(live: LiveServer, model) -> int:
    with data(live):
        return db.session.scalar(select(func.count()).select_from(model))


def user_id(email: str) -> int:
    return db.session.scalar(select(User.id).where(User.email == email))


def assigned_to(live: LiveServer, email: str) -> list[int]:
    """The ids of the proposals assigned to this reviewer, in order."""
    with data(live):
        return list(
            db.session.scalars(
                select(Assignment.proposal_id)
                .where(Assignment.reviewer_id == user_id(email))
                .order_by(Assignment.proposal_id)
            )
        )


def own_review() -> Review:
    mine = Assignment.reviewer_id == user_id(REVIEWER)
    return db.session.scalar(select(Review).join(Assignment).where(mine))


def seed_co_reviews(live: LiveServer, reviewed: int, conflicted: int) -> dict[int, str]:
    """Every other reviewer submits: the proposal the reviewer will review gets good marks, the others
    middling and poor ones. Returns, for `reviewed`, the co-reviewer's display name by proposal."""
    names = {}
    with data(live):
        committee = db.session.scalar(select(Committee))
        own = user_id(REVIEWER)
        for assignment in db.session.scalars(select(Assignment).order_by(Assignment.id)).all():
            if assignment.reviewer_id == own:
                continue
            pid = assignment.proposal_id
            if pid == reviewed:
                mark = "4"
            elif pid == conflicted:
                mark = "3"
            else:
                mark = "3" if pid in names else "2"
            factories.submitted_review(
                committee,
                assignment.proposal,
                assignment.reviewer,
                dict.fromkeys(range(len(committee.criteria)), mark),
                comments_applicant=CO_FOR_APPLICANT if pid == reviewed else "Fine.",
                comments_committee=CO_FOR_COMMITTEE if pid == reviewed else "",
            )
            names[pid] = assignment.reviewer.display_name
    return names


def test_committee_assignment_review_ranking_and_published_decision(
    page: Page,
    open_page,
    live: LiveServer,
    call: Call,
    mail_server: MailSink,
    page_problems: PageProblems,
    shot,
):
    # On purpose: an invitation without names (400), and the reviewer opening the address of a
    # proposal they declared a conflict with (404).
    page_problems.allow(r"status of 400")
    page_problems.allow(r"status of 404")

    # 1. Programme staff set up the committee, add its members and confirm the automatic assignment.
    sign_in(page, live.app, STAFF, factories.PASSWORD, totp_secret=call.staff_secret)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello Claire Fontaine")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Committees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committees")
    slot = page.get_by_role("row").filter(has_text="AAP 2026").filter(has_text="SCAI")
    expect(slot).to_contain_text("Not set up")
    page.get_by_role("button", name="Set up the committee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Committee SCAI – AAP 2026")
    assert count(live, Committee) == call.committee_count + 1

    members = page.get_by_role("region", name="Members")
    expect(members).to_contain_text("No member yet.")
    for email, name in ((REVIEWER, "Alice Moreau"), (SECOND_REVIEWER, "Bruno Petit")):
        members.get_by_label("E-mail", exact=True).fill(email)
        members.get_by_role("button", name="Add to the committee").click()
        expect(flash(page)).to_have_text(f"{name} joins the committee.")
    # Nobody uses this address: without names the form asks for them, with names she is invited.
    members.get_by_label("E-mail", exact=True).fill(INVITED)
    members.get_by_role("button", name="Add to the committee").click()
    expect(members).to_contain_text("give a first and last name to invite this person")
    expect(members.get_by_label("E-mail", exact=True)).to_have_value(INVITED)
    members.get_by_label("First name", exact=True).fill("Chloé")
    members.get_by_label("Last name", exact=True).fill("Garnier")
    members.get_by_role("button", name="Add to the committee").click()
    expect(flash(page)).to_contain_text("Chloé Garnier is invited by e-mail and joins the committee.")
    invitation = mail_server.last_to(INVITED)
    assert invitation["Subject"] == "You are invited to the PRD Portal"
    assert "Hello Chloé Garnier," in MailSink.text(invitation)
    assert "Claire Fontaine invites you" in MailSink.text(invitation)

    table = members.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table.get_by_role("row").filter(has_text=INVITED)).to_contain_text("Invited, not signed in yet")
    bruno = table.get_by_role("row").filter(has_text=SECOND_REVIEWER)
    bruno.get_by_role("checkbox", name="Chair").check()
    bruno.get_by_role("button", name="Save").click()
    expect(flash(page)).to_contain_text("Saved.")
    expect(bruno.locator(".badge")).to_have_text("chair")
    expect(table.locator(".badge", has_text="chair")).to_have_count(1)

    settings = page.get_by_role("region", name="Settings")
    visibility = settings.get_by_label("Reviewers see the other reviews of a proposal")
    expect(visibility).to_have_value(ReviewVisibility.after_own.value)
    settings.get_by_label("Number of funded doctoral contracts").fill("1")
    # Bidding from yesterday for three weeks, reviews due a month from now (Paris time). A closing
    # typed before the opening is refused next to the field, and nothing typed is lost.
    bidding_opens, bidding_closes, review_deadline = (paris_input(days) for days in (-1, 20, 30))
    settings.get_by_label("Bidding opens (Paris time)").fill(bidding_opens)
    settings.get_by_label("Bidding closes (Paris time)").fill(paris_input(-2))
    settings.get_by_label("Review deadline (Paris time)").fill(review_deadline)
    settings.get_by_role("button", name="Save the settings").click()
    expect(settings).to_contain_text("Bidding must close after it opens.")
    expect(settings.get_by_label("Bidding opens (Paris time)")).to_have_value(bidding_opens)
    settings.get_by_label("Bidding closes (Paris time)").fill(bidding_closes)
    settings.get_by_role("button", name="Save the settings").click()
    expect(flash(page)).to_contain_text("Settings saved.")
    # Reviewers will read each other as letters; the director, the summary then their comments.
    privacy = page.get_by_role("region", name="Anonymity and what directors read")
    expect(privacy.get_by_label("Directors also read the reviewers' comments for them")).to_be_checked()
    privacy.get_by_label("Reviewers are anonymous to each other").check()
    privacy.get_by_role("button", name="Save").click()
    expect(flash(page)).to_contain_text("Settings saved.")
    expect(privacy.get_by_label("Reviewers are anonymous to each other")).to_be_checked()
    phases = page.get_by_role("region", name="Phases")
    expect(phases).to_contain_text(
        "Call still open — Reviews start once the call has closed for every proposal"
    )
    expect(phases).to_contain_text("Bidding is open until")
    shot(page, "committee with three members", phone=False)

    page.get_by_role("navigation", name="Committee pages").get_by_role("link", name="Assignment").click()
    page.get_by_label("Reviewers per proposal").fill("2")
    page.get_by_role("button", name="Show the plan").click()
    expect(page.get_by_role("heading", level=2, name="Automatic assignment")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "6 new assignments are planned. Nothing is saved until you confirm."
    )
    plan = page.get_by_role("table", name="Planned assignments")
    expect(plan.locator("tbody tr")).to_have_count(6)
    loads = page.locator("ul.loads li")
    expect(loads).to_have_count(3)
    for item in loads.all():
        expect(item).to_have_text(re.compile(r": 2$"))
    # Shown, not saved.
    assert count(live, Assignment) == 0
    shot(page, "automatic assignment plan", phone=False)

    page.get_by_role("button", name="Save these assignments").click()
    expect(flash(page)).to_contain_text("6 assignments saved.")
    expect(page).to_have_url(re.compile(r"/assignments$"))
    assert count(live, Assignment) == 6
    board = page.locator("table.board")
    expect(board.locator("thead th .load")).to_have_text(["load 2", "load 2", "load 2"])
    expect(board.locator("tbody tr")).to_have_count(3)
    for row in board.locator("tbody tr").all():
        expect(row).to_contain_text("2 reviewers")
        expect(row.locator("td.assigned")).to_have_count(2)
    shot(page, "assignment board", phone=False)

    mine = assigned_to(live, REVIEWER)
    assert len(mine) == 2, mine
    reviewed, conflicted = mine
    co_reviewers = seed_co_reviews(live, reviewed, conflicted)
    titles = {pid: PROPOSALS[email][2] for email, pid in call.proposals.items()}
    director = next(email for email, pid in call.proposals.items() if pid == reviewed)

    # 2. The reviewer declares a conflict on one proposal, then reviews the other.
    reviewer = open_page()
    sign_in(reviewer, live.app, REVIEWER, factories.PASSWORD)
    reviewer.get_by_role("navigation", name="Main menu").get_by_role("link", name="Reviewing").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text("Reviewing")
    desk = reviewer.get_by_role("main")
    expect(desk).to_contain_text("0 of 2 submitted")
    expect(desk).to_contain_text(titles[conflicted])
    desk.get_by_role("link", name=titles[conflicted]).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(titles[conflicted])
    reviewer.locator("summary", has_text="I have a conflict").click()
    reviewer.get_by_label("Why are you in conflict with this proposal?").fill(CONFLICT_REASON)
    reviewer.get_by_role("button", name="Declare the conflict").click()
    expect(flash(reviewer)).to_contain_text("Conflict declared: this proposal is no longer shown to you.")
    expect(reviewer).to_have_url(re.compile(r"/reviews/$"))
    expect(desk).not_to_contain_text(titles[conflicted])
    expect(desk).to_contain_text(titles[reviewed])
    expect(desk).to_contain_text("0 of 1 submitted")
    with data(live):
        conflict = db.session.scalar(select(DeclaredConflict))
        assert (conflict.proposal_id, conflict.user_id, conflict.reason) == (
            conflicted,
            user_id(REVIEWER),
            CONFLICT_REASON,
        )
    assert assigned_to(live, REVIEWER) == [reviewed]
    shot(reviewer, "conflict declared", phone=False)
    for path in (
        f"/reviews/proposals/{conflicted}/review",
        f"/reviews/proposals/{conflicted}/discussion",
        f"/proposals/{conflicted}",
    ):
        response = reviewer.goto(path)
        assert response is not None and response.status == 404, (path, response and response.status)
    reviewer.goto("/reviews/bids")
    expect(reviewer.get_by_role("main")).to_contain_text(titles[reviewed])
    expect(reviewer.get_by_role("main")).not_to_contain_text(titles[conflicted])

    reviewer.goto("/reviews/")
    desk.get_by_role("link", name=titles[reviewed]).click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(titles[reviewed])
    others = reviewer.get_by_role("region", name="Other reviews")
    expect(others).to_contain_text("The other reviews are shown once you have submitted yours.")
    expect(others).not_to_contain_text(CO_FOR_COMMITTEE)
    expect(others).not_to_contain_text(co_reviewers[reviewed])
    form = reviewer.locator("#review-form")
    form.get_by_label("Scientific quality of the project").select_option("5")
    form.get_by_label("Feasibility and supervision").select_option("5")
    form.get_by_label("Comments for the committee").fill(OWN_FOR_COMMITTEE)
    # Autosaved a moment after the last keystroke, as the PRD form is; said where a screen reader hears it.
    status = reviewer.get_by_role("status").filter(has_text=re.compile("Saved|saved|Saving"))
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(re.compile(r"^Saved at \d\d:\d\d$"))
    with data(live):
        own = own_review()
        assert own.state is ReviewState.draft and own.comments_committee == OWN_FOR_COMMITTEE
        assert sorted(own.marks.values()) == ["5", "5"]
    # The Save button still works, from the version autosave reached.
    form.get_by_role("button", name="Save draft").click()
    expect(flash(reviewer)).to_contain_text("Your review is saved.")
    expect(reviewer.locator(".status-strip .badge")).to_have_text("Draft")
    expect(form.get_by_label("Scientific quality of the project")).to_have_value("5")
    expect(form.get_by_label("Comments for the committee")).to_have_value(OWN_FOR_COMMITTEE)
    # A draft is not enough to see the others.
    expect(others).to_contain_text("The other reviews are shown once you have submitted yours.")
    expect(others).not_to_contain_text(CO_FOR_COMMITTEE)
    with data(live):
        own = own_review()
        assert own.state is ReviewState.draft
        assert sorted(own.marks.values()) == ["5", "5"]
    shot(reviewer, "review form with a draft")  # and at phone width

    form.get_by_label("Fit with the initiative").select_option("5")
    form.get_by_label("Candidate profile and recruitment").select_option("5")
    form.get_by_label("Overall recommendation").select_option(label="Strongly support")
    form.get_by_label("Your confidence in this review").select_option("4")
    form.get_by_label("Comments for the applicant").fill(OWN_FOR_APPLICANT)
    form.get_by_role("button", name="Submit the review").click()
    expect(flash(reviewer)).to_contain_text("Your review is submitted.")
    expect(reviewer.locator(".status-strip .badge")).to_have_text("Submitted")
    expect(form.get_by_role("button", name="Submit the review")).to_have_count(0)
    cards = others.locator("article.review-card")
    expect(cards).to_have_count(1)
    # The committee is anonymous: the co-reviewer is a letter, the same on every page.
    expect(cards.get_by_role("heading", level=3)).to_have_text(re.compile(r"^Reviewer [AB]"))
    expect(cards).not_to_contain_text(co_reviewers[reviewed])
    expect(cards).to_contain_text(CO_FOR_COMMITTEE)
    expect(cards).to_contain_text(CO_FOR_APPLICANT)
    with data(live):
        own = own_review()
        assert own.state is ReviewState.submitted
        assert own.marks == {key: "5" for key in own.marks} and len(own.marks) == 4
        assert own.comments_applicant == OWN_FOR_APPLICANT
    shot(reviewer, "review submitted, other review shown", phone=False)

    # 3. Staff write the chair's summary from the discussion, where they read names and letters;
    # then see the conflict, rank with and without normalisation, decide and publish.
    board_url = page.url
    page.goto(f"/reviews/proposals/{reviewed}/discussion")
    page.get_by_role("region", name="The chair's summary for the director").get_by_role(
        "link", name="Write the summary"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The chair's summary")
    expect(page.locator("article.review-card").filter(has_text=co_reviewers[reviewed])).to_have_count(1)
    page.get_by_label("Summary for the director").fill(SUMMARY)
    page.get_by_role("button", name="Save the summary").click()
    expect(flash(page)).to_contain_text("The summary is saved.")
    expect(page.locator("#summary-text strong")).to_have_text("convincing")
    shot(page, "chair's summary")  # and at phone width
    page.goto(board_url)
    alice = page.locator("thead th").filter(has_text="Alice Moreau")
    expect(alice.locator(".load")).to_have_text("load 1")
    conflicted_row = page.locator(f"#proposal-{conflicted}")
    expect(conflicted_row.locator("td.conflicted")).to_contain_text(CONFLICT_REASON)
    expect(conflicted_row).to_contain_text("1 reviewer")

    page.get_by_role("navigation", name="Committee pages").get_by_role(
        "link", name="Ranking and decisions"
    ).click()
    ranking = page.locator("table.ranking")
    rows = ranking.locator("tbody tr:not(.line-marker)")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(titles[reviewed])
    expect(ranking.locator("tr.line-marker")).to_have_text("Funded line (1)")
    totals = rows.locator("td:nth-child(3)")
    expect(totals).to_have_text([RAW_TOTAL] * 3)
    expect(rows.locator("td:nth-child(4)")).to_have_text([NORMALISED_TOTAL] * 3)
    expect(page.get_by_role("main")).to_contain_text("each review's total is replaced by its z-score")
    expect(rows.first.locator("td:nth-child(6)")).to_have_text("2")
    shot(page, "ranking raw and normalised totals", phone=False)
    # On a phone the totals are on screen without scrolling sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    total_box = totals.first.bounding_box()
    assert total_box is not None and total_box["x"] + total_box["width"] <= 390, total_box
    shot(page, "ranking on a phone", phone=False)
    page.set_viewport_size({"width": 1280, "height": 800})

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    # Both buttons ask for confirmation through portal.js (deferred): click once it has run.
    page.wait_for_load_state()
    page.get_by_role("button", name="Decide from the funded line").click()
    expect(flash(page)).to_contain_text("Order and decisions saved. Nothing is sent until you publish them.")
    expect(page.get_by_label(f"Decision on #{reviewed}")).to_have_value(Outcome.funded.value)
    for pid in titles.keys() - {reviewed}:
        expect(page.get_by_label(f"Decision on #{pid}")).to_have_value(Outcome.waiting_list.value)
    expect(page.locator("section.publish")).not_to_contain_text("no decision yet")
    assert mail_server.to(director) == []
    shot(page, "decisions from the funded line", phone=False)

    # A month before the review deadline: publishing needs the early publication ticked.
    publish = page.locator("section.publish")
    expect(publish).to_contain_text("Reviews are open until")
    page.wait_for_load_state()
    page.get_by_role("button", name="Publish and e-mail the directors").click()
    expect(flash(page)).to_contain_text("The review deadline has not passed")
    assert mail_server.to(director) == []
    page.get_by_label("Publish before the review deadline").check()
    page.get_by_role("button", name="Publish and e-mail the directors").click()
    expect(flash(page)).to_contain_text("Decisions published: 3 directors are told by e-mail.")
    expect(page.get_by_label(f"Decision on #{reviewed}")).to_be_disabled()
    expect(page.get_by_role("button", name="Publish and e-mail the directors")).to_have_count(0)
    assert dialogs == [
        "Replace every decision: funded above the funded line, waiting list below?",
        "Publish the decisions and e-mail every director? This cannot be undone.",
        "Publish the decisions and e-mail every director? This cannot be undone.",
    ], dialogs
    with data(live):
        outcomes = dict(db.session.execute(select(Decision.proposal_id, Decision.outcome)).all())
        assert outcomes == {
            pid: Outcome.funded if pid == reviewed else Outcome.waiting_list for pid in titles
        }
        assert db.session.scalar(select(Committee)).decisions_published_at is not None
    shot(page, "decisions published", phone=False)

    message = mail_server.last_to(director)
    text = MailSink.text(message)
    assert titles[reviewed] in message["Subject"]
    assert "Funded" in text
    assert OWN_FOR_APPLICANT in text and CO_FOR_APPLICANT in text
    assert OWN_FOR_COMMITTEE not in text and CO_FOR_COMMITTEE not in text
    assert SUMMARY in text and text.index(SUMMARY) < text.index(OWN_FOR_APPLICANT)
    assert re.search(r"- Reviewer [AB] — ", text), text
    assert "Alice" not in text and co_reviewers[reviewed] not in text
    for email in PROPOSALS.keys() - {director}:
        assert "On the waiting list" in MailSink.text(mail_server.last_to(email))

    # The director follows the link of the e-mail and reads the decision on the proposal page.
    applicant = open_page()
    sign_in(applicant, live.app, director, factories.PASSWORD)
    link = mail_server.link_in(message)
    assert link == f"/proposals/{reviewed}", link
    applicant.goto(link)
    expect(applicant.get_by_role("heading", level=1)).to_have_text(titles[reviewed])
    decision = applicant.get_by_role("region", name="The committee's decision")
    expect(decision.locator(".decision-outcome")).to_have_text("Funded")
    expect(decision.locator(".chair-summary strong")).to_have_text("convincing")
    comments = decision.locator("article.applicant-comment")
    expect(comments).to_have_count(2)
    expect(comments.get_by_role("heading", level=4)).to_have_text(["Reviewer A", "Reviewer B"])
    expect(decision).to_contain_text(OWN_FOR_APPLICANT)
    expect(decision).to_contain_text(CO_FOR_APPLICANT)
    main = applicant.get_by_role("main")
    for secret in (
        OWN_FOR_COMMITTEE,
        CO_FOR_COMMITTEE,
        "Alice Moreau",
        co_reviewers[reviewed],
        "Scientific quality of the project",
        "Strongly support",
    ):
        expect(main).not_to_contain_text(secret)
    expect(decision).not_to_contain_text(re.compile(r"\b\d+(\.\d+)?\s*/\s*\d+|\bscore|\btotal", re.I))
    standing = applicant.locator("section.standing")
    expect(standing).to_contain_text("Decision published")
    expect(applicant.get_by_role("button", name="Withdraw")).to_have_count(0)
    shot(applicant, "director reads the decision", phone=False)
    with data(live):
        assert db.session.get(Proposal, reviewed).owner.email == director

    # 4. The director declines the contract: staff record it on the ranking page, and in the same
    # step the first on the waiting list is offered it and its director e-mailed.
    with data(live):
        next_pid = db.session.scalar(select(Decision.proposal_id).where(Decision.waiting_rank == 1))
        next_email = db.session.get(Proposal, next_pid).owner.email
    contracts = page.get_by_role("region", name="Contracts and the waiting list")
    expect(contracts.locator("ol.waiting-list li")).to_have_count(2)
    contracts.get_by_label(f"The contract of #{reviewed}").select_option(label="Contract declined")
    page.wait_for_load_state()
    contracts.get_by_role("button", name="Record and offer to the next").click()
    expect(flash(page)).to_contain_text(f"#{next_pid} (waiting list 1) is offered the contract")
    assert dialogs[-1].startswith(f"Record it and offer the contract to #{next_pid} "), dialogs
    expect(contracts.locator("ol.waiting-list li")).to_have_count(1)
    expect(contracts).to_contain_text("Contract declined")
    assert "it is now funded" in MailSink.text(mail_server.last_to(next_email))
    shot(page, "contract offered to the next on the waiting list", phone=False)
