"""The ranking table of a committee: per-criterion means, weighted totals, spread, decisions.

A fixed number of queries whatever the number of proposals or reviews: the proposals, the
submitted reviews with their assignments, the decisions, the criteria; everything else is arithmetic.
Per-reviewer normalisation replaces each review's total by its z-score among that reviewer's reviews
in this committee, so a severe and a lenient reviewer weigh the same.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import Assignment, Committee, Criterion, Decision, Review, ReviewState
from portal.reviews.services import committee_proposals

# Reviewers disagree when their totals spread more than this (standard deviation, on the totals'
# own scale once each criterion is brought to 0–1).
DISAGREEMENT = 0.2


@dataclass
class RankingRow:
    proposal: Proposal
    reviews: int
    means: dict[int, float | None]
    total: float | None
    spread: float | None
    decision: Decision | None = None
    funded_line_above: bool = False
    review_totals: list[float] = field(default_factory=list)

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > DISAGREEMENT


def _scale_bounds(criterion: Criterion) -> tuple[float, float]:
    from portal.reviews.models import SCALE_VALUES

    values = [value for _, value in SCALE_VALUES[criterion.scale]]
    return min(values), max(values)


def review_total(review: Review, criteria: list[Criterion]) -> float | None:
    """The weighted mean of the counted criteria, each brought to 0–1 so that scales mix."""
    weighted, weights = 0.0, 0.0
    for criterion in criteria:
        if not criterion.counts or criterion.weight <= 0:
            continue
        value = criterion.value_of(review.marks.get(str(criterion.id)))
        if value is None:
            return None
        low, high = _scale_bounds(criterion)
        weighted += criterion.weight * (value - low) / (high - low)
        weights += criterion.weight
    return weighted / weights if weights else None


def _z_scores(totals_by_reviewer: dict[int, list[tuple[int, float]]]) -> dict[tuple[int, int], float]:
    scores = {}
    for reviewer_id, items in totals_by_reviewer.items():
        values = [total for _, total in items]
        mean = statistics.fmean(values)
        spread = statistics.pstdev(values) if len(values) > 1 else 0.0
        for proposal_id, total in items:
            scores[(proposal_id, reviewer_id)] = (total - mean) / spread if spread else 0.0
    return scores


def ranking(committee: Committee, *, normalise: bool = False) -> list[RankingRow]:
    """Every submitted proposal of the committee, best first (or in the decided order)."""
    proposals = committee_proposals(committee)
    ids = [proposal.id for proposal in proposals]
    criteria = list(committee.criteria)
    rows = db.session.execute(
        select(Review, Assignment.proposal_id, Assignment.reviewer_id)
        .join(Assignment, Review.assignment_id == Assignment.id)
        .where(Assignment.proposal_id.in_(ids), Review.state == ReviewState.submitted)
    ).all()
    decisions = {
        d.proposal_id: d for d in db.session.scalars(select(Decision).where(Decision.proposal_id.in_(ids)))
    }
    reviews_of: dict[int, list[Review]] = defaultdict(list)
    totals_by_reviewer: dict[int, list[tuple[int, float]]] = defaultdict(list)
    raw_totals: dict[tuple[int, int], float] = {}
    for review, proposal_id, reviewer_id in rows:
        reviews_of[proposal_id].append(review)
        total = review_total(review, criteria)
        if total is not None:
            totals_by_reviewer[reviewer_id].append((proposal_id, total))
            raw_totals[(proposal_id, reviewer_id)] = total
    shown = _z_scores(totals_by_reviewer) if normalise else raw_totals
    shown_of: dict[int, list[float]] = defaultdict(list)
    raw_of: dict[int, list[float]] = defaultdict(list)
    for (proposal_id, _), total in shown.items():
        shown_of[proposal_id].append(total)
    for (proposal_id, _), total in raw_totals.items():
        raw_of[proposal_id].append(total)
    result = []
    for proposal in proposals:
        reviews = reviews_of[proposal.id]
        means = {}
        for criterion in criteria:
            values = [criterion.value_of(r.marks.get(str(criterion.id))) for r in reviews]
            values = [value for value in values if value is not None]
            means[criterion.id] = statistics.fmean(values) if values else None
        own, raw = shown_of[proposal.id], raw_of[proposal.id]
        result.append(
            RankingRow(
                proposal=proposal,
                reviews=len(reviews),
                means=means,
                total=statistics.fmean(own) if own else None,
                spread=statistics.pstdev(raw) if len(raw) > 1 else None,
                decision=decisions.get(proposal.id),
                review_totals=raw,
            )
        )
    result.sort(key=_order)
    for position, row in enumerate(result):
        row.funded_line_above = position == committee.funded_contracts - 1
    return result


def _order(row: RankingRow):
    rank = row.decision.rank if row.decision and row.decision.rank else None
    return (
        rank is None,
        rank or 0,
        -(row.total if row.total is not None else float("-inf")),
        row.proposal.id,
    )
