"""A reviewer's review: drafts with the same stale-save protection as the PRD form, submission once
complete, changes from the call's close (and its extensions') until the committee's review deadline."""

from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.rules import Problem
from portal.reviews.models import Assignment, Committee, Recommendation, Review, ReviewState
from portal.reviews.phases import ReviewPhase, timeline


class ReviewStale(Exception):
    def __init__(self, review: Review):
        super().__init__(f"review {review.id} is at version {review.version}")
        self.review = review


class ReviewClosed(Exception):
    """The review can no longer change; `reason` says why (CLOSED_*)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Why a review cannot change now: the page says which, not always "the deadline has passed".
CLOSED_PUBLISHED = "published"
CLOSED_DEADLINE = "deadline"
CLOSED_NOT_STARTED = "not_started"  # the call or an extension of it still runs


class ReviewIncomplete(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def review_of(assignment: Assignment) -> Review:
    if assignment.review is None:
        assignment.review = Review(
            marks={}, proposal_id=assignment.proposal_id, reviewer_id=assignment.reviewer_id
        )
        db.session.flush()
    return assignment.review


def closed_reason(committee: Committee, now: datetime | None = None) -> str | None:
    """None while reviews may change: once the call and its extensions have closed, before the
    review deadline, and never once the decisions are published (whatever the deadline)."""
    return _CLOSED.get(timeline(committee).phase(now))


_CLOSED = {
    ReviewPhase.call_open: CLOSED_NOT_STARTED,
    ReviewPhase.deliberation: CLOSED_DEADLINE,
    ReviewPhase.published: CLOSED_PUBLISHED,
}


def save_review(
    *,
    assignment: Assignment,
    committee: Committee,
    data: dict[str, Any],
    base_version: int,
    now: datetime | None = None,
) -> Review:
    """Keep what the reviewer wrote; a submitted review stays submitted (and must stay complete)."""
    now = now or utcnow()
    if reason := closed_reason(committee, now):
        raise ReviewClosed(reason)
    review = review_of(assignment)
    if base_version != review.version:
        raise ReviewStale(review)
    valid = {str(criterion.id) for criterion in committee.criteria}
    review.marks = {key: value for key, value in (data.get("marks") or {}).items() if key in valid and value}
    recommendation = data.get("recommendation")
    review.recommendation = Recommendation(recommendation) if recommendation else None
    confidence = data.get("confidence")
    review.confidence = int(confidence) if confidence else None
    review.comments_committee = (data.get("comments_committee") or "").strip()
    review.comments_applicant = (data.get("comments_applicant") or "").strip()
    if review.state is ReviewState.submitted:
        problems = review_problems(review, committee)
        if problems:
            raise ReviewIncomplete(problems)
    db.session.flush()
    return review


def review_problems(review: Review, committee: Committee) -> list[Problem]:
    problems = []
    for criterion in committee.criteria:
        mark = review.marks.get(str(criterion.id))
        if criterion.value_of(mark) is None:
            problems.append(Problem(f"marks.{criterion.id}", _("Give a mark for this criterion.")))
    if review.recommendation is None:
        problems.append(Problem("recommendation", _("Give your overall recommendation.")))
    if review.confidence is None:
        problems.append(Problem("confidence", _("Say how confident you are.")))
    return problems


def submit_review(*, assignment: Assignment, committee: Committee, now: datetime | None = None) -> Review:
    now = now or utcnow()
    if reason := closed_reason(committee, now):
        raise ReviewClosed(reason)
    review = review_of(assignment)
    problems = review_problems(review, committee)
    if problems:
        raise ReviewIncomplete(problems)
    first = review.state is not ReviewState.submitted
    if first:
        review.state = ReviewState.submitted
        review.submitted_at = now
    db.session.flush()
    if first:
        record("review.submitted", actor=assignment.reviewer, obj=review, proposal=assignment.proposal)
    return review
