"""Ranking: means, weighted totals, spread, normalisation, query count; decisions and publication."""

import pytest

from portal.extensions import db
from portal.reviews.decisions import DecisionsIncomplete, publish_decisions, set_decisions
from portal.reviews.models import Outcome
from portal.reviews.ranking import ranking
from portal.reviews.rubric import RubricFrozen, default_criteria, set_criteria
from tests import factories
from tests.queries import count_queries


@pytest.fixture
def setup(committee):
    return committee.campaign, committee


ALL = {0: "5", 1: "5", 2: "5", 3: "5"}
NONE = {0: "1", 1: "1", 2: "1", 3: "1"}


def test_totals_order_the_table_and_means_per_criterion(setup):
    campaign, committee = setup
    strong, weak = factories.submitted_proposal(campaign), factories.submitted_proposal(campaign)
    reviewer = factories.reviewer()
    factories.submitted_review(committee, weak, reviewer, {0: "2", 1: "2", 2: "2", 3: "2"})
    factories.submitted_review(committee, strong, reviewer, {0: "5", 1: "4", 2: "4", 3: "3"})
    rows = ranking(committee)
    assert [row.proposal.id for row in rows] == [strong.id, weak.id]
    assert rows[0].means[committee.criteria[0].id] == 5.0 and rows[0].reviews == 1
    # Weighted (2, 1.5, 1, 1) on a 0–1 scale: (2*1 + 1.5*.75 + 1*.75 + 1*.5) / 5.5
    assert rows[0].total == pytest.approx((2 + 1.125 + 0.75 + 0.5) / 5.5)


def test_a_criterion_shown_only_does_not_count(setup):
    campaign, committee = setup
    proposal = factories.submitted_proposal(campaign)
    committee.criteria[0].counts = False
    factories.submitted_review(committee, proposal, factories.reviewer(), {0: "1", 1: "5", 2: "5", 3: "5"})
    assert ranking(committee)[0].total == 1.0


def test_disagreement_is_flagged(setup):
    campaign, committee = setup
    proposal = factories.submitted_proposal(campaign)
    factories.submitted_review(committee, proposal, factories.reviewer(), ALL)
    factories.submitted_review(committee, proposal, factories.reviewer(), NONE)
    row = ranking(committee)[0]
    assert row.spread == pytest.approx(0.5) and row.disagreement


def _same_marks(mark: str) -> dict[int, str]:
    # Every criterion at `mark` (1–5): the total is (mark − 1) / 4 whatever the weights.
    return dict.fromkeys(range(4), mark)


@pytest.fixture
def few_reviews(setup):
    """A reviews P1, P2, P3 (totals 1, 0.5, 0); B reviews only P3 and P4 (totals 1, 0.75)."""
    campaign, committee = setup
    p1, p2, p3, p4 = (factories.submitted_proposal(campaign) for _ in range(4))
    a, b = factories.reviewer(), factories.reviewer()
    for proposal, mark in ((p1, "5"), (p2, "3"), (p3, "1")):
        factories.submitted_review(committee, proposal, a, _same_marks(mark))
    factories.submitted_review(committee, p3, b, _same_marks("5"))
    factories.submitted_review(committee, p4, b, _same_marks("4"))
    return committee, (p1, p2, p3, p4)


def test_normalisation_leaves_out_reviewers_with_too_few_reviews(few_reviews):
    committee, (p1, p2, p3, p4) = few_reviews
    rows = {row.proposal.id: row for row in ranking(committee)}
    # A: mean 0.5, population standard deviation sqrt(1/6); z = ±0.5 / sqrt(1/6) = ±sqrt(1.5), 0.
    # B has 2 reviews, fewer than the default 3: left out, and counted.
    z = 1.5**0.5
    assert [(rows[p.id].total, rows[p.id].not_normalised) for p in (p1, p2, p3, p4)] == [
        (1.0, 0),
        (0.5, 0),
        (0.5, 1),
        (0.75, 1),
    ]
    assert rows[p1.id].normalised == pytest.approx(z)
    assert rows[p2.id].normalised == pytest.approx(0.0)
    assert rows[p3.id].normalised == pytest.approx(-z)
    # Not "+0.00 as if average": no normalised total at all.
    assert rows[p4.id].normalised is None


def test_normalisation_with_a_lower_threshold_takes_every_reviewer(few_reviews):
    committee, (p1, p2, p3, p4) = few_reviews
    rows = {row.proposal.id: row for row in ranking(committee, min_reviews=2)}
    # B: mean 0.875, deviation 0.125; z = +1 for P3, −1 for P4. P3 averages A's −sqrt(1.5) and +1.
    assert rows[p3.id].normalised == pytest.approx((1 - 1.5**0.5) / 2)
    assert rows[p4.id].normalised == pytest.approx(-1.0)
    assert rows[p1.id].normalised == pytest.approx(1.5**0.5)
    assert all(row.not_normalised == 0 for row in rows.values())


def test_normalisation_evens_out_a_severe_reviewer(setup):
    campaign, committee = setup
    proposals = [factories.submitted_proposal(campaign) for _ in range(3)]
    lenient, severe = factories.reviewer(), factories.reviewer()
    for proposal, high, low in zip(proposals, "543", "321", strict=True):
        factories.submitted_review(committee, proposal, lenient, _same_marks(high))
        factories.submitted_review(committee, proposal, severe, _same_marks(low))
    rows = {row.proposal.id: row for row in ranking(committee)}
    # Raw: (1 + 0.5) / 2, (0.75 + 0.25) / 2, (0.5 + 0) / 2; both reviewers spread alike, so the
    # z-scores agree: ±sqrt(1.5) and 0, as for one reviewer.
    assert [rows[p.id].total for p in proposals] == [0.75, 0.5, 0.25]
    assert [rows[p.id].normalised for p in proposals] == pytest.approx([1.5**0.5, 0.0, -(1.5**0.5)])


def test_the_rubric_is_frozen_once_a_review_exists(setup):
    campaign, committee = setup
    set_criteria(committee=committee, rows=default_criteria()[:2])
    assert len(committee.criteria) == 2
    set_criteria(committee=committee, rows=default_criteria())
    factories.submitted_review(committee, factories.submitted_proposal(campaign), factories.reviewer(), ALL)
    with pytest.raises(RubricFrozen):
        set_criteria(committee=committee, rows=default_criteria()[:1])
    assert len(committee.criteria) == 4


def test_decisions_order_and_publication(setup, mailbox):
    campaign, committee = setup
    first, second = factories.submitted_proposal(campaign), factories.submitted_proposal(campaign)
    reviewer = factories.reviewer()
    factories.submitted_review(
        committee, first, reviewer, ALL, comments_applicant="A clear plan.", comments_committee="Secret note."
    )
    committee.funded_contracts = 1
    admin = factories.user()
    set_decisions(
        committee=committee, ordered_ids=[second.id, first.id], outcomes={second.id: Outcome.funded}, by=admin
    )
    rows = ranking(committee)
    assert [row.proposal.id for row in rows] == [second.id, first.id] and rows[0].funded_line_above
    factories.end_reviews(committee)
    with pytest.raises(DecisionsIncomplete):
        publish_decisions(committee=committee, by=admin)
    set_decisions(
        committee=committee,
        ordered_ids=[second.id, first.id],
        outcomes={first.id: Outcome.waiting_list},
        by=admin,
    )
    assert publish_decisions(committee=committee, by=admin) == 2
    db.session.commit()
    text = mailbox.text(mailbox.last_to(first.owner.email))
    assert "waiting list" in text and "A clear plan." in text and "Secret note." not in text


def test_the_ranking_costs_the_same_queries_at_10_and_200_proposals(setup):
    campaign, committee = setup
    reviewers = [factories.reviewer() for _ in range(3)]

    def grow_to(size):
        for _ in range(size - len(committee_proposals_ids())):
            proposal = factories.submitted_proposal(campaign)
            for reviewer in reviewers:
                factories.submitted_review(committee, proposal, reviewer, ALL)
        assert len(committee_proposals_ids()) == size

    def committee_proposals_ids():
        from portal.reviews.services import committee_proposals

        return committee_proposals(committee)

    grow_to(10)
    at_10 = count_queries(lambda: [row.decision for row in ranking(committee)])
    grow_to(200)
    at_200 = count_queries(lambda: [row.decision for row in ranking(committee)])
    assert at_10 == at_200


def test_reviews_are_read_only_once_decisions_are_published(setup):
    from portal.reviews.models import Assignment
    from portal.reviews.reviewing import ReviewClosed, save_review

    campaign, committee = setup
    proposal = factories.submitted_proposal(campaign)
    review = factories.submitted_review(committee, proposal, factories.reviewer(), ALL)
    admin = factories.user()
    committee.funded_contracts = 1
    set_decisions(
        committee=committee, ordered_ids=[proposal.id], outcomes={proposal.id: Outcome.funded}, by=admin
    )
    publish_decisions(committee=committee, by=admin, early=True)
    assignment = db.session.get(Assignment, review.assignment_id)
    with pytest.raises(ReviewClosed):
        save_review(assignment=assignment, committee=committee, data={}, base_version=review.version)
