"""The dashboard costs the same number of queries at 5 and 50 proposals."""

from portal.dashboards.models import Opinion, SchoolOpinion
from portal.extensions import db
from tests import factories
from tests.dashboards.conftest import director_block
from tests.queries import page_queries


def _grow(world, size):
    while db.session.query(SchoolOpinion).count() + 4 < size:
        owner = factories.user()
        proposal = factories.submitted_proposal(
            world.call, owner=owner, director=director_block(world.school, owner.email, shares=(20, 20))
        )
        db.session.add(SchoolOpinion(proposal_id=proposal.id, opinion=Opinion.favourable, comment="ok"))
        db.session.commit()


def test_the_page_does_not_issue_more_queries_with_more_proposals(world, client, other_client):
    client.sign_in_user(world.school_staff)
    other_client.sign_in_user(world.programme_staff)
    _grow(world, 5)
    school_at_5 = page_queries(client, "/staff/proposals/")
    programme_at_5 = page_queries(other_client, "/staff/proposals/?sort=title")
    _grow(world, 50)
    assert page_queries(client, "/staff/proposals/") == school_at_5
    assert page_queries(other_client, "/staff/proposals/?sort=title") == programme_at_5
