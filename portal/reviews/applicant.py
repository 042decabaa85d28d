"""What the applicant sees of the committee's work: nothing until the decisions are published, then
the outcome and the reviewers' comments meant for them (never scores or committee comments)."""

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_edit
from portal.reviews import bp
from portal.reviews.models import Assignment, Decision, Outcome, Review, ReviewState
from portal.reviews.permissions import committee_for


@dataclass(frozen=True)
class ApplicantDecision:
    outcome: Outcome | None
    comments: list[str]


def decision_for_applicant(proposal: Proposal) -> ApplicantDecision | None:
    """For the proposal's editors once the committee published its decisions; None otherwise."""
    if not can_edit(current_user, proposal):
        return None
    committee = committee_for(proposal)
    if committee is None or committee.decisions_published_at is None:
        return None
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    comments = db.session.scalars(
        select(Review.comments_applicant)
        .join(Assignment, Review.assignment_id == Assignment.id)
        .where(Assignment.proposal_id == proposal.id, Review.state == ReviewState.submitted)
        .order_by(Review.submitted_at, Review.id)
    )
    return ApplicantDecision(
        outcome=decision.outcome if decision is not None else None,
        comments=[text for text in comments if text and text.strip()],
    )


bp.add_app_template_global(decision_for_applicant, "decision_for_applicant")
