"""The doctoral school's opinion, shown to the committee's managers and to the assigned reviewer."""

from datetime import UTC, datetime

import pytest

from portal.auth.models import Role
from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db
from tests import factories
from tests.reviews.reviewer_data import desk


@pytest.fixture
def opinion(app_context):
    """A reviewer's desk, the school's unfavourable opinion on its proposal, and staff of both sides."""
    found = desk()
    school_staff = factories.user(
        "ed@example.org",
        Role.school_staff,
        scope=found.proposal.director_school,
        two_factor=True,
        first_name="Irène",
        last_name="Joliot",
    )
    row = SchoolOpinion(
        proposal_id=found.proposal.id,
        opinion=Opinion.unfavourable,
        comment="The director already supervises four students.",
        author_id=school_staff.id,
    )
    db.session.add(row)
    db.session.flush()
    row.updated_at = datetime(2031, 7, 1, 8, 0, tzinfo=UTC)
    db.session.commit()
    manager = factories.user(
        "prog@example.org", Role.programme_staff, scope=found.committee.initiative, two_factor=True
    )
    return found, manager


def test_the_reviewer_sees_the_opinion_on_their_review_page(opinion, client):
    found, _manager = opinion
    client.sign_in_user(found.reviewer)
    page = client.get(found.review_path).get_data(as_text=True)
    assert "Opinion of the doctoral school" in page
    assert "Unfavourable" in page and "already supervises four students" in page
    assert "Irène Joliot" not in page  # the school's opinion, not its staff member's


def test_programme_staff_see_it_on_the_ranking_and_the_discussion(opinion, client):
    found, manager = opinion
    client.sign_in_user(manager)
    ranking = client.get(f"/reviews/committees/{found.committee.id}/ranking").get_data(as_text=True)
    assert "Unfavourable" in ranking and "already supervises four students" in ranking
    discussion = client.get(f"/reviews/proposals/{found.proposal.id}/discussion").get_data(as_text=True)
    assert "Unfavourable" in discussion and "Irène Joliot" in discussion
    assert "10:00" in discussion  # 8:00 UTC in July, Paris time


def test_a_member_sees_it_on_the_discussion(opinion, client):
    found, _manager = opinion
    client.sign_in_user(found.reviewer)
    page = client.get(f"/reviews/proposals/{found.proposal.id}/discussion").get_data(as_text=True)
    assert "Unfavourable" in page


def test_no_opinion_yet(app_context, client):
    found = desk()
    client.sign_in_user(found.reviewer)
    page = client.get(found.review_path).get_data(as_text=True)
    assert "The doctoral school has not given its opinion yet." in page
