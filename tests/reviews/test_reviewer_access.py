"""Who sees what on the reviewer's side: other reviews, conflicts, discussion, bids, the applicant."""

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.reviews.models import (
    Assignment,
    Bid,
    ConflictSource,
    Decision,
    DeclaredConflict,
    Outcome,
    Preference,
    ReviewVisibility,
)
from portal.reviews.services import assign, declare_conflict
from tests import factories
from tests.reviews.reviewer_data import desk as make_desk
from tests.reviews.reviewer_data import member

OTHER_OPINION = "An opinion for the committee only."


@pytest.fixture
def desk(app_context):
    return make_desk(title="Quantum sensing of soils")


def _second_review(desk):
    """Another member's submitted review of the same proposal."""
    return factories.submitted_review(
        desk.committee,
        desk.proposal,
        factories.reviewer(),
        {0: "2", 1: "2", 2: "2", 3: "2"},
        comments_committee=OTHER_OPINION,
        comments_applicant="Please shorten the work plan.",
    )


@pytest.mark.parametrize(
    ("visibility", "before_own", "after_own"),
    [
        (ReviewVisibility.after_own, False, True),
        (ReviewVisibility.always, True, True),
        (ReviewVisibility.never, False, False),
    ],
)
def test_other_reviews_follow_the_committee_setting(desk, client, visibility, before_own, after_own):
    desk.committee.visibility = visibility
    db.session.commit()
    _second_review(desk)
    client.sign_in_user(desk.reviewer)
    assert (OTHER_OPINION in client.get(desk.review_path).get_data(as_text=True)) is before_own
    client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    assert (OTHER_OPINION in client.get(desk.review_path).get_data(as_text=True)) is after_own
    discussion = client.get(f"/reviews/proposals/{desk.proposal.id}/discussion").get_data(as_text=True)
    assert (OTHER_OPINION in discussion) is after_own


def test_staff_of_the_initiative_see_every_review(desk, client):
    desk.committee.visibility = ReviewVisibility.never
    db.session.commit()
    _second_review(desk)
    staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative, two_factor=True)
    client.sign_in_user(staff)
    html = client.get(f"/reviews/proposals/{desk.proposal.id}/discussion").get_data(as_text=True)
    assert OTHER_OPINION in html


def test_a_conflicted_reviewer_sees_nothing_of_the_proposal(desk, client):
    other = factories.submitted_proposal(desk.proposal.campaign, title="Coral reef acoustics")
    assign(committee=desk.committee, proposal=other, reviewer=desk.reviewer, assigned_by=desk.reviewer)
    db.session.commit()
    factories.open_bidding(desk.committee)
    # A conflict recorded while the assignment is still there: every page must check it anyway.
    db.session.add(
        DeclaredConflict(proposal_id=desk.proposal.id, user_id=desk.reviewer.id, source=ConflictSource.staff)
    )
    db.session.commit()
    client.sign_in_user(desk.reviewer)
    pid = desk.proposal.id
    for path in (
        f"/reviews/proposals/{pid}/review",
        f"/proposals/{pid}",
        f"/proposals/{pid}/pdf",
        f"/reviews/proposals/{pid}/discussion",
    ):
        assert client.get(path).status_code == 404, path
    assert (
        client.submit(f"/reviews/proposals/{pid}/discussion", {"body": "Hello"}, page="/").status_code == 404
    )
    assert client.submit(desk.review_path, desk.complete_form(base_version="1"), page="/").status_code == 404
    for page in ("/reviews/", "/reviews/bids"):
        html = client.get(page).get_data(as_text=True)
        assert "Quantum sensing of soils" not in html and f"/proposals/{pid}" not in html
        assert "Coral reef acoustics" in html
    # A guessed field for the hidden proposal is ignored.
    client.submit("/reviews/bids", {f"bid_{pid}": "eager", f"bid_{other.id}": "willing"})
    assert db.session.scalars(select(Bid.proposal_id).where(Bid.user_id == desk.reviewer.id)).all() == [
        other.id
    ]


def test_the_discussion_is_for_the_committee_without_conflicts(desk, client, other_client):
    colleague = member(desk.committee)
    client.sign_in_user(desk.reviewer)
    path = f"/reviews/proposals/{desk.proposal.id}/discussion"
    response = client.submit(path, {"body": "The work plan looks long."})
    assert response.status_code == 302
    other_client.sign_in_user(colleague)
    assert "The work plan looks long." in other_client.get(path).get_data(as_text=True)
    assert other_client.submit(path, {"body": ""}).status_code == 400

    declare_conflict(proposal=desk.proposal, user=colleague, source=ConflictSource.staff, reason="Co-author")
    db.session.commit()
    assert other_client.get(path).status_code == 404
    outsider = factories.reviewer()
    other_client.sign_out()
    other_client.sign_in_user(outsider)
    assert other_client.get(path).status_code == 404


def test_bids_are_saved_and_cleared(desk, client):
    second = factories.submitted_proposal(desk.proposal.campaign, title="Coral reef acoustics")
    factories.open_bidding(desk.committee)
    client.sign_in_user(desk.reviewer)
    html = client.get("/reviews/bids").get_data(as_text=True)
    assert "Quantum sensing of soils" in html and "Coral reef acoustics" in html
    assert "deep learning, generalization" in html  # keywords, and nothing else of the proposal
    assert "Lamprier" not in html
    response = client.submit(
        "/reviews/bids", {f"bid_{desk.proposal.id}": "eager", f"bid_{second.id}": "not_willing"}
    )
    assert response.status_code == 302

    def bids():
        rows = db.session.scalars(select(Bid).where(Bid.user_id == desk.reviewer.id))
        return {bid.proposal_id: bid.preference for bid in rows}

    assert bids() == {desk.proposal.id: Preference.eager, second.id: Preference.not_willing}
    assert '<option selected value="eager">' in client.get("/reviews/bids").get_data(as_text=True)
    client.submit("/reviews/bids", {f"bid_{desk.proposal.id}": "", f"bid_{second.id}": "willing"})
    db.session.expire_all()
    assert bids() == {second.id: Preference.willing}


def test_declaring_a_conflict_withdraws_the_assignment(desk, client):
    client.sign_in_user(desk.reviewer)
    path = f"/reviews/proposals/{desk.proposal.id}/conflict"
    refused = client.submit(path, {"reason": " "}, page=desk.review_path)
    assert refused.status_code == 302
    assert db.session.scalar(select(DeclaredConflict)) is None

    response = client.submit(path, {"reason": "My former PhD student."}, page=desk.review_path)
    assert response.status_code == 302 and response.location.endswith("/reviews/")
    conflict = db.session.scalar(select(DeclaredConflict))
    assert conflict.source is ConflictSource.declared and conflict.reason == "My former PhD student."
    assert db.session.scalar(select(Assignment)) is None
    assert "Quantum sensing of soils" not in client.get("/reviews/").get_data(as_text=True)
    assert client.get(desk.review_path).status_code == 404
    assert client.submit(path, {"reason": "Again"}, page="/").status_code == 404


def test_the_applicant_sees_only_their_comments_once_published(desk, client):
    _second_review(desk)
    client.sign_in_user(desk.proposal.owner)
    page = f"/proposals/{desk.proposal.id}"
    html = client.get(page).get_data(as_text=True)
    assert "The committee's decision" not in html and "Please shorten the work plan." not in html

    staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative)
    db.session.add(
        Decision(proposal_id=desk.proposal.id, rank=1, outcome=Outcome.funded, decided_by_id=staff.id)
    )
    db.session.commit()
    assert "Please shorten the work plan." not in client.get(page).get_data(as_text=True)

    desk.committee.decisions_published_at = utcnow()
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert "The committee's decision" in html and "Funded" in html
    assert "Please shorten the work plan." in html
    assert OTHER_OPINION not in html and "Strongly" not in html and "Confidence" not in html


def test_reviewers_do_not_see_the_applicant_block(desk, client):
    desk.committee.decisions_published_at = utcnow()
    db.session.commit()
    client.sign_in_user(desk.reviewer)
    assert "The committee's decision" not in client.get(f"/proposals/{desk.proposal.id}").get_data(
        as_text=True
    )
