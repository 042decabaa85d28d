"""Who reads a proposal's audit trail: the staff it concerns and administrators, not its editors."""

from flask import abort
from flask_login import current_user

from portal.auth.models import User
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_read, readable_proposal


def is_staff_of(user: User, proposal: Proposal) -> bool:
    """Admins, programme staff of its initiative, staff of its director's school."""
    if not user.is_authenticated:
        return False
    return (
        user.is_admin
        or (proposal.initiative_id is not None and proposal.initiative_id in user.staff_initiative_ids())
        or (
            proposal.director_school_id is not None and proposal.director_school_id in user.staff_school_ids()
        )
    )


def can_read_trail(user: User, proposal: Proposal) -> bool:
    return can_read(user, proposal) and is_staff_of(user, proposal)


def trail_proposal(proposal_id: int) -> Proposal:
    """404 for those who may not read the proposal; 403 for readers who are not its staff."""
    proposal = readable_proposal(proposal_id)
    if not is_staff_of(current_user, proposal):
        abort(403)
    return proposal
