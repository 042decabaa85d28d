"""Anonymous reviewers: stable letters per proposal, names hidden from the other reviewers but shown
to the chair and staff, and never a reviewer's name in what the director reaches."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.reviews.anonymity import letter, letters_of
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import Outcome, ReviewVisibility
from portal.reviews.services import add_member, assign, post_message, unassign
from portal.reviews.summaries import save_summary
from tests import factories
from tests.reviews.reviewer_data import desk as make_desk
from tests.reviews.reviewer_data import member

MARKS = {0: "4", 1: "4", 2: "3", 3: "4"}


@pytest.fixture
def desk(app_context):
    """An anonymous committee: `desk.reviewer` (Reviewer A) is assigned, Ysolde Quennec
    (Reviewer B) has submitted her review with a comment for the director."""
    desk = make_desk(title="Soil microbiomes under drought")
    desk.committee.anonymous_reviewers = True
    desk.committee.visibility = ReviewVisibility.always
    db.session.commit()
    desk.other = factories.reviewer(first_name="Ysolde", last_name="Quennec")
    factories.submitted_review(
        desk.committee,
        desk.proposal,
        desk.other,
        MARKS,
        comments_committee="Committee only: the budget is vague.",
        comments_applicant="The field campaign is well planned.",
    )
    return desk


def test_letters_go_a_to_z_then_aa():
    assert [letter(n) for n in (1, 2, 26, 27, 28, 52, 53)] == ["A", "B", "Z", "AA", "AB", "AZ", "BA"]


def test_letters_stay_with_each_reviewer_whatever_happens_later(desk):
    proposal, committee, staff = desk.proposal, desk.committee, factories.user()
    third, fourth, lurker = member(committee), member(committee), member(committee)
    assignment = assign(committee=committee, proposal=proposal, reviewer=third, assigned_by=staff)
    db.session.commit()
    before = letters_of(proposal.id)
    assert [before[u.id] for u in (desk.reviewer, desk.other, third)] == ["A", "B", "C"]
    # Withdrawn, then another member assigned and a member posting: the letters already given stay.
    unassign(assignment=assignment)
    assign(committee=committee, proposal=proposal, reviewer=fourth, assigned_by=staff)
    post_message(proposal=proposal, author=lurker, body="A question on the schedule.")
    post_message(proposal=proposal, author=staff, body="Programme staff are no reviewers.")
    assign(committee=committee, proposal=proposal, reviewer=third, assigned_by=staff)
    db.session.commit()
    after = letters_of(proposal.id)
    assert [after[u.id] for u in (desk.reviewer, desk.other, third, fourth, lurker)] == list("ABCDE")
    assert staff.id not in after
    # Per proposal: on another one, the first assigned is A.
    other_proposal = factories.submitted_proposal(committee.campaign)
    assign(committee=committee, proposal=other_proposal, reviewer=fourth, assigned_by=staff)
    db.session.commit()
    assert letters_of(other_proposal.id) == {fourth.id: "A"}


def test_other_reviewers_read_letters_the_chair_and_staff_read_names(desk, client):
    post_message(proposal=desk.proposal, author=desk.other, body="I would fund it.")
    db.session.commit()
    discussion = f"/reviews/proposals/{desk.proposal.id}/discussion"
    client.sign_in_user(desk.reviewer)
    for page in (desk.review_path, discussion):
        html = client.get(page).get_data(as_text=True)
        assert "Reviewer B" in html and "Quennec" not in html and "Ysolde" not in html
    client.sign_out()

    chair = member(desk.committee)
    add_member(committee=desk.committee, user=chair, chair=True)
    staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative, two_factor=True)
    db.session.commit()
    for reader in (chair, staff):
        client.sign_in_user(reader)
        html = client.get(discussion).get_data(as_text=True)
        assert "Reviewer B · Ysolde Quennec" in html, reader.email
        client.sign_out()


def test_a_committee_that_is_not_anonymous_shows_names(desk, client):
    desk.committee.anonymous_reviewers = False
    db.session.commit()
    client.sign_in_user(desk.reviewer)
    assert "Reviewer B · Ysolde Quennec" in client.get(desk.review_path).get_data(as_text=True)


def test_the_setting_is_saved_and_audited_when_it_changes(desk, client):
    staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative, two_factor=True)
    client.sign_in_user(staff)
    page = f"/reviews/committees/{desk.committee.id}"
    assert "Reviewers are anonymous to each other" in client.get(page).get_data(as_text=True)
    response = client.submit(f"{page}/privacy", {"directors_see_comments": "y"}, page=page)
    assert response.status_code == 302
    client.submit(f"{page}/privacy", {"directors_see_comments": "y"}, page=page)
    db.session.refresh(desk.committee)
    assert not desk.committee.anonymous_reviewers and desk.committee.directors_see_comments
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "committee.privacy_changed")
    ).all()
    assert [(e.actor_id, e.details) for e in events] == [(staff.id, {"anonymous_reviewers": False})]


@pytest.mark.parametrize("directors_see_comments", [True, False])
def test_the_director_never_reads_a_reviewer_name(desk, client, mailbox, directors_see_comments):
    committee, proposal = desk.committee, desk.proposal
    committee.directors_see_comments = directors_see_comments
    committee.anonymous_reviewers = False  # names are for the committee; never for the director
    committee.funded_contracts = 1
    staff = factories.user()
    save_summary(proposal=proposal, committee=committee, body="Two *positive* reviews.", by=staff)
    set_decisions(
        committee=committee, ordered_ids=[proposal.id], outcomes={proposal.id: Outcome.funded}, by=staff
    )
    factories.end_reviews(committee)
    publish_decisions(committee=committee, by=staff)
    db.session.commit()

    client.sign_in_user(proposal.owner)
    reached = [
        client.get(f"/proposals/{proposal.id}").get_data(as_text=True),
        client.get(f"/audit/proposals/{proposal.id}").get_data(as_text=True),
    ]
    message = mailbox.last_to(proposal.owner.email)
    reached += [mailbox.text(message), message.get_body(("html",)).get_content()]
    for text in reached:
        for name in ("Ysolde", "Quennec", "QUENNEC", desk.other.email, desk.reviewer.email):
            assert name not in text
        assert "Committee only" not in text
    page, _trail, mail_text, mail_html = reached
    for text in (page, mail_html):
        assert "<em>positive</em>" in text
    assert "Two *positive* reviews." in mail_text
    comment = "The field campaign is well planned."
    for text in (page, mail_text, mail_html):
        assert (comment in text) is directors_see_comments
        assert ("Reviewer B" in text) is directors_see_comments
    # The summary comes first.
    if directors_see_comments:
        assert page.index("positive") < page.index(comment) and mail_text.index("positive") < mail_text.index(
            comment
        )
