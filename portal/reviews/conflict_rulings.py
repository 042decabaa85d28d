"""Programme staff rule on a detected conflict: they confirm it (it keeps blocking) or waive it (the
member may then be assigned and sees the proposal), always with a reason, in the audit log."""

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.conflicts import conflicts_of
from portal.reviews.models import ConflictRuling, ConflictVerdict
from portal.reviews.services import withdraw_assignment, withdrawal_details


class NothingToRule(Exception):
    """No detected conflict of the pair can be ruled on (the proposal or the profile changed)."""


def rule_on_conflict(
    *, proposal: Proposal, user: User, verdict: ConflictVerdict, reason: str, decided_by: User
) -> ConflictRuling:
    """Confirm or waive the detected conflicts of the pair; a confirmed one withdraws an assignment,
    as a declared conflict does."""
    kinds = [conflict.kind for conflict in conflicts_of(user, proposal) if conflict.waivable]
    if not kinds:
        raise NothingToRule
    ruling = db.session.scalar(
        select(ConflictRuling).where(
            ConflictRuling.proposal_id == proposal.id, ConflictRuling.user_id == user.id
        )
    )
    if ruling is None:
        ruling = ConflictRuling(proposal_id=proposal.id, user_id=user.id)
        db.session.add(ruling)
    ruling.verdict, ruling.kinds, ruling.reason = verdict, kinds, reason
    ruling.decided_by_id, ruling.decided_at = decided_by.id, utcnow()
    confirmed = verdict is ConflictVerdict.confirmed
    withdrawal = withdraw_assignment(proposal=proposal, user=user) if confirmed else None
    db.session.flush()
    record(
        f"conflict.{verdict.value}",
        actor=decided_by,
        obj=proposal,
        reviewer=user.email,
        rules=kinds,
        reason=reason,
        **withdrawal_details(withdrawal),
    )
    return ruling
