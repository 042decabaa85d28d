"""The ranking table of a committee: per-criterion means, weighted totals, spread, decisions.

A fixed number of queries whatever the number of proposals or reviews: the proposals (their id and
title only, as ProposalRef), the marks of the submitted reviews with
their proposal and reviewer, the decisions, the criteria; everything else is arithmetic on tuples,
not ORM objects, so that 6,000 reviews cost milliseconds.

Each row has the raw total and, beside it, the normalised total: each review's total replaced by its
z-score among that reviewer's reviews in this committee, so that a severe and a lenient reviewer
weigh the same. A reviewer with fewer than REVIEW_NORMALISE_MIN_REVIEWS reviews has no meaningful
mean or spread (one review always gives z = 0, which reads as "average"): their reviews are left out
of the normalised total, and the row counts them so that the page can say so.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import load_only

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import (
    SCALE_VALUES,
    Committee,
    Criterion,
    Decision,
    Review,
)
from portal.reviews.services import committee_scope

# Reviewers disagree when their totals spread more than this (standard deviation, on the totals'
# own scale once each criterion is brought to 0–1).
DISAGREEMENT = 0.2


@dataclass(frozen=True)
class ProposalRef:
    """What the arithmetic and the sorting need of a proposal; load_shown puts the whole proposal
    in its place for the rows a page shows."""

    id: int
    title: str


@dataclass
class RankingRow:
    proposal: Proposal | ProposalRef
    reviews: int
    means: dict[int, float | None]
    total: float | None
    spread: float | None
    decision: Decision | None = None
    funded_line_above: bool = False
    review_totals: list[float] = field(default_factory=list)
    # The mean of the z-scores of the reviews whose reviewer has enough reviews; None without any.
    normalised: float | None = None
    # Reviews with a total left out of `normalised`: their reviewer has too few reviews.
    not_normalised: int = 0

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > DISAGREEMENT


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
            values = dict(SCALE_VALUES[criterion.scale])
            low, high = min(values.values()), max(values.values())
            scorings.append(_Scoring(str(criterion.id), criterion.weight, values, low, high))
    return scorings


def _marks_total(marks: dict, scorings: list[_Scoring]) -> float | None:
    weighted, weights = 0.0, 0.0
    for scoring in scorings:
        value = scoring.values.get(marks.get(scoring.key))
        if value is None:
            return None
        weighted += scoring.weight * (value - scoring.low) / (scoring.high - scoring.low)
        weights += scoring.weight
    return weighted / weights if weights else None


def review_total(review: Review, criteria: list[Criterion]) -> float | None:
    """The weighted mean of the counted criteria, each brought to 0–1 so that scales mix."""
    return _marks_total(review.marks, _scorings(criteria))


def _spread(values: list[float]) -> float:
    # statistics.pstdev works in exact fractions: far slower than needed for a table of scores.
    mean = sum(values) / len(values)
    return math.sqrt(sum((value - mean) ** 2 for value in values) / len(values))


def _z_scores(
    totals_by_reviewer: dict[int, list[tuple[int, float]]], min_reviews: int
) -> dict[tuple[int, int], float]:
    """(proposal, reviewer) → z-score, for the reviewers with at least `min_reviews` totals."""
    scores = {}
    for reviewer_id, items in totals_by_reviewer.items():
        if len(items) < min_reviews:
            continue
        values = [total for _, total in items]
        mean = statistics.fmean(values)
        spread = _spread(values)
        for proposal_id, total in items:
            # A reviewer who gave every proposal the same total ranks none above another.
            scores[(proposal_id, reviewer_id)] = (total - mean) / spread if spread else 0.0
    return scores


def ranking(committee: Committee, *, min_reviews: int | None = None) -> list[RankingRow]:
    """Every submitted proposal of the committee, best raw total first (or in the decided order).

    `min_reviews`: the fewest reviews a reviewer needs to be normalised (the setting by default).
    """
    if min_reviews is None:
        min_reviews = current_app.config["REVIEW_NORMALISE_MIN_REVIEWS"]
    # The ids and titles only: the page loads the rest for the rows it shows (load_shown).
    proposals = [
        ProposalRef(pid, title or "")
        for pid, title in db.session.execute(
            select(Proposal.id, Proposal.title).where(*committee_scope(committee)).order_by(Proposal.id)
        )
    ]
    ids = [proposal.id for proposal in proposals]
    criteria = list(committee.criteria)
    scorings = _scorings(criteria)
    scales = [
        (criterion.id, str(criterion.id), dict(SCALE_VALUES[criterion.scale])) for criterion in criteria
    ]
    marks_rows = db.session.execute(
        select(Review.marks, Review.proposal_id, Review.reviewer_id).where(
            Review.proposal_id.in_(ids), Review.counted
        )
    ).all()
    decisions = {
        d.proposal_id: d
        for d in db.session.scalars(
            select(Decision)
            .where(Decision.proposal_id.in_(ids))
            .options(
                load_only(
                    Decision.proposal_id,
                    Decision.rank,
                    Decision.outcome,
                    Decision.waiting_rank,
                    Decision.released,
                    Decision.released_at,
                    Decision.offered_at,
                )
            )
        )
    }
    counts: dict[int, int] = defaultdict(int)
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    totals_by_reviewer: dict[int, list[tuple[int, float]]] = defaultdict(list)
    raw_of: dict[int, list[float]] = defaultdict(list)
    for marks, proposal_id, reviewer_id in marks_rows:
        counts[proposal_id] += 1
        for criterion_id, key, scale in scales:
            value = scale.get(marks.get(key))
            if value is not None:
                cell = sums[(proposal_id, criterion_id)]
                cell[0] += value
                cell[1] += 1
        total = _marks_total(marks, scorings)
        if total is not None:
            totals_by_reviewer[reviewer_id].append((proposal_id, total))
            raw_of[proposal_id].append(total)
    z_scores = _z_scores(totals_by_reviewer, min_reviews)
    z_of: dict[int, list[float]] = defaultdict(list)
    for (proposal_id, _), score in z_scores.items():
        z_of[proposal_id].append(score)
    result = []
    for proposal in proposals:
        raw, z = raw_of[proposal.id], z_of[proposal.id]
        means = {}
        for criterion_id, _key, _scale in scales:
            total, number = sums.get((proposal.id, criterion_id), (0.0, 0))
            means[criterion_id] = total / number if number else None
        result.append(
            RankingRow(
                proposal=proposal,
                reviews=counts[proposal.id],
                means=means,
                total=statistics.fmean(raw) if raw else None,
                spread=_spread(raw) if len(raw) > 1 else None,
                decision=decisions.get(proposal.id),
                review_totals=raw,
                normalised=statistics.fmean(z) if z else None,
                not_normalised=len(raw) - len(z),
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


def load_shown(rows: list[RankingRow]) -> None:
    """Put the whole proposal (its director, its title) in the rows a page shows, in one query."""
    ids = [row.proposal.id for row in rows]
    loaded = (
        {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))} if ids else {}
    )
    for row in rows:
        row.proposal = loaded[row.proposal.id]
