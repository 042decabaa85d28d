"""A conflict found after a review was written withdraws the assignment and sets the review aside:
kept for programme staff and administrators, counted nowhere, read by no reviewer or director."""

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.dashboards.progress import review_progress
from portal.extensions import db
from portal.reviews.models import Assignment, ConflictSource, Review, ReviewState
from portal.reviews.ranking import ranking
from portal.reviews.reviewing import review_of
from portal.reviews.services import add_member, assign, declare_conflict
from portal.reviews.summaries import for_director
from tests import factories

SET_ASIDE = "Their submitted review will be set aside, not deleted"


def _two_reviews(desk):
    """A proposal with two submitted reviews; the first reviewer then joins the director's unit."""
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    first, second = factories.reviewer(), factories.reviewer()
    factories.submitted_review(
        desk, proposal, first, dict.fromkeys(range(4), "1"), comments_applicant="Weak, says the first."
    )
    factories.submitted_review(
        desk, proposal, second, dict.fromkeys(range(4), "5"), comments_applicant="Strong, says the second."
    )
    first.research_unit = factories.research_unit("UMR7606")  # the factory director's unit
    db.session.commit()
    return proposal, first, second


def _confirm(client, desk, proposal, user):
    prefix = f"ruling-{proposal.id}-{user.id}-"
    data = {
        "proposal": proposal.id,
        "reviewer": user.id,
        f"{prefix}reason": "Same lab.",
        f"{prefix}confirm": "x",
    }
    page = f"/reviews/committees/{desk.id}/assignments"
    return client.submit(f"/reviews/committees/{desk.id}/conflicts/ruling", data, page=page)


def test_confirming_a_conflict_sets_the_submitted_review_aside_and_says_so_first(desk, client):
    proposal, first, second = _two_reviews(desk)
    board = client.get(f"/reviews/committees/{desk.id}/assignments").get_data(as_text=True)
    assert SET_ASIDE in board

    assert _confirm(client, desk, proposal, first).status_code == 302
    review = db.session.scalar(select(Review).where(Review.reviewer_id == first.id))
    assert review is not None and review.state is ReviewState.submitted and review.withdrawn_at is not None
    assert review.assignment_id is None and review.comments_applicant == "Weak, says the first."
    assert db.session.scalar(select(Assignment).where(Assignment.reviewer_id == first.id)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflict.confirmed"))
    assert event.details["unassigned"] is True
    assert event.details["review_set_aside"] == "submitted" and event.details["review"] == review.id

    # Counted nowhere: the ranking, the director's comments, the dashboard's progress.
    (row,) = ranking(desk)
    assert row.reviews == 1 and row.means[desk.criteria[0].id] == 5
    assert [comment.text for comment in for_director(proposal, desk).comments] == ["Strong, says the second."]
    assert review_progress([proposal], user=desk.staff)[proposal.id].submitted == 1

    # Programme staff read it on the discussion page, marked set aside; the other reviewer does not.
    staff_page = client.get(f"/reviews/proposals/{proposal.id}/discussion").get_data(as_text=True)
    assert "Reviews set aside" in staff_page and "Weak, says the first." in staff_page
    assert "a conflict of interest withdrew this assignment" in staff_page
    client.sign_out()
    client.sign_in_user(second)
    for path in (f"/reviews/proposals/{proposal.id}/discussion", f"/reviews/proposals/{proposal.id}/review"):
        page = client.get(path).get_data(as_text=True)
        assert "No other review is submitted yet." in page
        assert "Weak, says the first." not in page and "Reviews set aside" not in page


def test_a_draft_is_set_aside_too_and_the_page_says_so(desk, client):
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    reviewer = factories.reviewer()
    add_member(committee=desk, user=reviewer)
    draft = review_of(assign(committee=desk, proposal=proposal, reviewer=reviewer, assigned_by=desk.staff))
    draft.comments_committee = "Half a thought."
    reviewer.research_unit = factories.research_unit("UMR7606")
    db.session.commit()
    board = client.get(f"/reviews/committees/{desk.id}/assignments").get_data(as_text=True)
    assert "Their draft review will be set aside, not deleted" in board

    assert _confirm(client, desk, proposal, reviewer).status_code == 302
    kept = db.session.get(Review, draft.id)
    assert kept.withdrawn_at is not None and kept.comments_committee == "Half a thought."
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflict.confirmed"))
    assert event.details["review_set_aside"] == "draft"
    page = client.get(f"/reviews/proposals/{proposal.id}/discussion").get_data(as_text=True)
    assert "Half a thought." in page and "draft, never submitted" in page


def test_a_reviewer_declaring_a_conflict_keeps_their_review_aside(desk):
    proposal, first, _second = _two_reviews(desk)
    declare_conflict(proposal=proposal, user=first, source=ConflictSource.declared, reason="I know them.")
    db.session.commit()
    review = db.session.scalar(select(Review).where(Review.reviewer_id == first.id))
    assert review is not None and review.withdrawn_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "conflict.declared"))
    assert event.details["review_set_aside"] == "submitted"
    assert ranking(desk)[0].reviews == 1
