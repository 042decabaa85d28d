"""The ranking page and the reviewer's page cost the same number of queries at 10 and 200 proposals."""

from portal.auth.models import Role
from tests import factories
from tests.queries import page_queries

MARKS = {0: "4", 1: "3", 2: "5", 3: "4"}


def _grow(committee, reviewers, size):
    from portal.reviews.services import committee_proposals

    for _ in range(size - len(committee_proposals(committee))):
        proposal = factories.submitted_proposal(committee.campaign)
        for reviewer in reviewers:
            factories.submitted_review(committee, proposal, reviewer, MARKS)
    assert len(committee_proposals(committee)) == size


def test_pages_do_not_issue_more_queries_with_more_proposals(committee, client, other_client):
    reviewers = [factories.reviewer(), factories.reviewer()]
    staff = factories.user(
        "staff@example.org", Role.programme_staff, scope=committee.initiative, two_factor=True
    )
    client.sign_in_user(staff)
    other_client.sign_in_user(reviewers[0])
    ranking_path = f"/reviews/committees/{committee.id}/ranking"
    _grow(committee, reviewers, 10)
    ranking_at_10 = page_queries(client, ranking_path)
    reviewer_at_10 = page_queries(other_client, "/reviews/")
    _grow(committee, reviewers, 200)
    assert page_queries(client, ranking_path) == ranking_at_10
    assert page_queries(other_client, "/reviews/") == reviewer_at_10
