"""Review progress on the dashboard: right figures for programme staff and admins, none for schools."""

import pytest

from portal.dashboards.progress import initiative_progress, review_progress
from portal.extensions import db
from portal.reviews.models import SCALE_VALUES, Decision, Outcome
from portal.reviews.services import add_member, assign, committee_of
from tests import factories
from tests.queries import page_queries


def best(committee) -> dict[int, str]:
    return {
        position: max(SCALE_VALUES[criterion.scale], key=lambda pair: pair[1])[0]
        for position, criterion in enumerate(committee.criteria)
    }


@pytest.fixture
def reviewed(world):
    """`first`: three reviewers, two reviews submitted, funded; `second`: one reviewer, no review."""
    committee = committee_of(campaign=world.call, initiative=world.initiative)
    db.session.commit()
    for _ in range(2):
        factories.submitted_review(committee, world.first, factories.reviewer(), best(committee))
    for proposal in (world.first, world.second):
        reviewer = factories.reviewer()
        add_member(committee=committee, user=reviewer)
        assign(committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=world.programme_staff)
    db.session.add(
        Decision(proposal_id=world.first.id, rank=1, outcome=Outcome.funded, decided_by_id=world.admin.id)
    )
    db.session.commit()
    return committee


def test_the_figures(world, reviewed):
    proposals = [world.first, world.second, world.draft, world.withdrawn]
    progress = review_progress(proposals, user=world.programme_staff)
    assert set(progress) == {world.first.id, world.second.id}  # drafts and withdrawn: nothing to review
    first, second = progress[world.first.id], progress[world.second.id]
    assert (first.assigned, first.submitted, first.outcome) == (3, 2, Outcome.funded)
    assert (second.assigned, second.submitted, second.outcome) == (1, 0, None)
    [row] = initiative_progress(world.call, user=world.admin)
    assert (row.acronym, row.committee_id, row.proposals, row.with_reviewers) == ("DASHA", reviewed.id, 2, 2)
    assert (row.reviews_submitted, row.reviews_expected, row.decided) == (2, 4, 1)


def test_programme_staff_and_admins_see_the_progress(world, reviewed, client, other_client):
    client.sign_in_user(world.programme_staff)
    other_client.sign_in_user(world.admin)
    for browser in (client, other_client):
        page = browser.get(f"/staff/proposals/?campaign={world.call.year}").get_data(as_text=True)
        assert "2 of 3 reviews submitted" in page and "0 of 1 review submitted" in page
        assert "Committee review" in page and "Funded" in page
        assert "2 of 4" in page  # reviews submitted of those expected, at a glance
        assert f"/reviews/committees/{reviewed.id}/ranking" in page


def test_programme_staff_of_another_initiative_see_none(world, reviewed):
    assert review_progress([world.first], user=world.other_programme_staff) == {}
    assert initiative_progress(world.call, user=world.other_programme_staff) == []


def test_doctoral_school_staff_see_nothing_of_the_review(world, reviewed, client):
    assert review_progress([world.first], user=world.school_staff) == {}
    assert initiative_progress(world.call, user=world.school_staff) == []
    client.sign_in_user(world.school_staff)
    page = client.get(f"/staff/proposals/?campaign={world.call.year}").get_data(as_text=True)
    assert "Quantum sensing" in page
    assert "Committee review" not in page and "reviews submitted" not in page and "Funded" not in page


def test_the_progress_costs_the_same_queries_at_any_size(world, reviewed, client):
    client.sign_in_user(world.admin)
    path = f"/staff/proposals/?campaign={world.call.year}&state=submitted"
    before = page_queries(client, path)
    for _ in range(6):
        proposal = factories.submitted_proposal(world.call)
        reviewer = factories.reviewer()
        factories.submitted_review(reviewed, proposal, reviewer, best(reviewed))
    assert page_queries(client, path) == before
