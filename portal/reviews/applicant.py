"""What the applicant sees of the committee's work: where their proposal stands and what they may
still do (DirectorStatus), nothing of the review until the decisions are published, then the
outcome, the chair's summary and, when the committee shows them, the reviewers' comments meant for
them under their letters (never names, scores or committee comments: summaries.py)."""

import enum
from dataclasses import dataclass
from datetime import datetime

from flask_login import current_user
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.permissions import can_edit
from portal.reviews import bp
from portal.reviews.models import Decision, Outcome
from portal.reviews.permissions import committee_for
from portal.reviews.phases import ReviewPhase, timeline
from portal.reviews.summaries import ForDirector, for_director


@dataclass(frozen=True)
class ApplicantDecision:
    outcome: Outcome | None
    committee: ForDirector
    # What became of the decision since: the director is told by e-mail, and reads it here too.
    decision: Decision | None = None


def decision_for_applicant(proposal: Proposal) -> ApplicantDecision | None:
    """For the proposal's editors once the committee published its decisions; None otherwise."""
    if not can_edit(current_user, proposal):
        return None
    committee = committee_for(proposal)
    if committee is None or committee.decisions_published_at is None:
        return None
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    return ApplicantDecision(
        outcome=decision.outcome if decision is not None else None,
        committee=for_director(proposal, committee),
        decision=decision,
    )


bp.add_app_template_global(decision_for_applicant, "decision_for_applicant")


class Standing(enum.Enum):
    """Where a proposal stands for its director (templates/proposals/_standing.html says it)."""

    draft = "draft"  # before its deadline, not submitted
    not_submitted = "not_submitted"  # its deadline passed as a draft
    submitted = "submitted"  # before its deadline: the director may reopen or withdraw it
    awaiting_review = "awaiting_review"  # its deadline passed; the call still runs for others
    under_review = "under_review"
    decision_published = "decision_published"
    withdrawn = "withdrawn"  # before its deadline: the director may reopen it
    withdrawn_closed = "withdrawn_closed"


@dataclass(frozen=True)
class DirectorStatus:
    standing: Standing
    deadline: datetime
    review_deadline: datetime | None
    # What the portal will accept now: the buttons and the receipt follow these, never more.
    can_reopen: bool
    can_withdraw: bool


def director_status(proposal: Proposal, now: datetime | None = None) -> DirectorStatus:
    """The proposal's standing at `now`, from its state, its deadline and its committee's phase."""
    now = now or utcnow()
    is_open = proposal.is_open_for_changes(now)
    committee = committee_for(proposal)
    phase = timeline(committee).phase(now) if committee is not None else ReviewPhase.call_open
    if proposal.state is ProposalState.withdrawn:
        standing = Standing.withdrawn if is_open else Standing.withdrawn_closed
    elif proposal.state is ProposalState.draft:
        standing = Standing.draft if is_open else Standing.not_submitted
    elif is_open:
        standing = Standing.submitted
    elif phase is ReviewPhase.published:
        standing = Standing.decision_published
    elif phase is ReviewPhase.call_open:
        standing = Standing.awaiting_review
    else:
        standing = Standing.under_review
    return DirectorStatus(
        standing=standing,
        deadline=proposal.deadline,
        review_deadline=committee.review_deadline if committee is not None else None,
        # As proposals.services._leave_for: until the deadline, from any other state.
        can_reopen=is_open and proposal.state is not ProposalState.draft,
        can_withdraw=is_open and proposal.state is not ProposalState.withdrawn,
    )


bp.add_app_template_global(director_status, "director_status")
