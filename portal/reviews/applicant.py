"""What the applicant sees of the committee's work: nothing until the decisions are published, then
the outcome, the chair's summary and, when the committee shows them, the reviewers' comments meant
for them under their letters (never names, scores or committee comments: summaries.py)."""

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_edit
from portal.reviews import bp
from portal.reviews.models import Decision, Outcome
from portal.reviews.permissions import committee_for
from portal.reviews.summaries import ForDirector, for_director


@dataclass(frozen=True)
class ApplicantDecision:
    outcome: Outcome | None
    committee: ForDirector


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
    )


bp.add_app_template_global(decision_for_applicant, "decision_for_applicant")
