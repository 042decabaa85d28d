"""The ranking table of a committee: per-criterion means, weighted totals, spread, decisions.

A fixed number of queries whatever the number of proposals or reviews: the proposals, the
submitted reviews with their assignments, the decisions, the criteria; everything else is arithmetic.
Per-reviewer normalisation replaces each review's total by its z-score among that reviewer's reviews
in this committee, so a severe and a lenient reviewer weigh the same.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import (
    SCALE_VALUES,
    Assignment,
    Committee,
    Criterion,
    Decision,
    Review,
    ReviewState,
)
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
    values = [value for _, value in SCALE_VALUES[criterion.scale]]
    return min(values), max(values)


@dataclass(frozen=True)
class _Scoring:
    """A criterion reduced to what the arithmetic needs, read once per ranking, not per review."""

    key: str
    weight: float
    values: dict[str, float]
    low: float
    high: float


def _scorings(criteria: list[Criterion]) -> list[_Scoring]:
    scorings = []
    for criterion in criteria:
        if criterion.counts and criterion.weight > 0:
            low, high = _scale_bounds(criterion)
            values = dict(SCALE_VALUES[criterion.scale])
            scorings.append(_Scoring(str(criterion.id), criterion.weight, values, low, high))
    return scorings


def review_total(
    review: Review, criteria: list[Criterion], scorings: list[_Scoring] | None = None
) -> float | None:
    """The weighted mean of the counted criteria, each brought to 0–1 so that scales mix."""
    weighted, weights = 0.0, 0.0
    marks = review.marks
    for scoring in scorings if scorings is not None else _scorings(criteria):
        value = scoring.values.get(marks.get(scoring.key))
        if value is None:
            return None
        weighted += scoring.weight * (value - scoring.low) / (scoring.high - scoring.low)
        weights += scoring.weight
    return weighted / weights if weights else None


def _spread(values: list[float]) -> float:
    # statistics.pstdev works in exact fractions: far slower than needed for a table of scores.
    mean = sum(values) / len(values)
    return math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))


def _z_scores(totals_by_reviewer: dict[int, list[tuple[int, float]]]) -> dict[tuple[int, int], float]:
    scores = {}
    for reviewer_id, items in totals_by_reviewer.items():
        values = [total for _, total in items]
        mean = statistics.fmean(values)
        spread = _spread(values) if len(values) > 1 else 0.0
        for proposal_id, total in items:
            scores[(proposal_id, reviewer_id)] = (total - mean) / spread if spread else 0.0
    return scores


def ranking(committee: Committee, *, normalise: bool = False) -> list[RankingRow]:
    """Every submitted proposal of the committee, best first (or in the decided order)."""
    proposals = committee_proposals(committee)
    ids = [proposal.id for proposal in proposals]
    criteria = list(committee.criteria)
    scorings = _scorings(criteria)
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
        total = review_total(review, criteria, scorings)
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
            scale, key = dict(SCALE_VALUES[criterion.scale]), str(criterion.id)
            values = [scale[mark] for r in reviews if (mark := r.marks.get(key)) in scale]
            means[criterion.id] = sum(values) / len(values) if values else None
        own, raw = shown_of[proposal.id], raw_of[proposal.id]
        result.append(
            RankingRow(
                proposal=proposal,
                reviews=len(reviews),
                means=means,
                total=statistics.fmean(own) if own else None,
                spread=_spread(raw) if len(raw) > 1 else None,
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
