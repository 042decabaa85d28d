"""Who may read and who may edit a proposal; every route checks its proposal with these."""

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalEditor, ProposalState


def can_edit(user: User, proposal: Proposal) -> bool:
    """The director who owns it, and co-editors who accepted their invitation."""
    if not user.is_authenticated:
        return False
    if proposal.owner_id == user.id:
        return True
    return any(editor.user_id == user.id for editor in proposal.editors)


def can_read(user: User, proposal: Proposal) -> bool:
    """Editors, programme staff of the target initiative, staff of the director's school, admins,
    reviewers assigned to it who are not in conflict, and the initiatives it was referred to."""
    if not user.is_authenticated:
        return False
    if can_edit(user, proposal) or user.is_admin:
        return True
    if proposal.initiative_id is not None and proposal.initiative_id in user.staff_initiative_ids():
        return True
    if proposal.director_school_id is not None and proposal.director_school_id in user.staff_school_ids():
        return True
    # Imported here: the review domain builds on proposals, not the other way round.
    from portal.reviews.permissions import can_review, reads_as_referral

    return can_review(user, proposal) or reads_as_referral(user, proposal)


def can_manage(user: User, proposal: Proposal) -> bool:
    """Staff who may grant this proposal an extension: programme staff of its initiative, admins."""
    if not user.is_authenticated:
        return False
    return user.is_admin or (
        proposal.initiative_id is not None and proposal.initiative_id in user.staff_initiative_ids()
    )


def is_owner(user: User, proposal: Proposal) -> bool:
    return user.is_authenticated and proposal.owner_id == user.id


def readable_proposal(proposal_id: int) -> Proposal:
    """The proposal, for the current user to read; 404 also when they may not (ids reveal nothing)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or not can_read(current_user, proposal):
        abort(404)
    return proposal


def editable_proposal(proposal_id: int) -> Proposal:
    """The proposal, for the current user to edit; readers who may not edit get 403."""
    proposal = readable_proposal(proposal_id)
    if not can_edit(current_user, proposal):
        abort(403)
    return proposal


def owned_proposal(proposal_id: int) -> Proposal:
    """Only the director may submit, withdraw, reopen and invite."""
    proposal = readable_proposal(proposal_id)
    if not is_owner(current_user, proposal):
        abort(403)
    return proposal


def proposals_of(user: User) -> list[Proposal]:
    """The proposals `user` directs or co-edits, the most recently saved first."""
    shared = select(ProposalEditor.proposal_id).where(ProposalEditor.user_id == user.id)
    query = (
        select(Proposal)
        .where(or_(Proposal.owner_id == user.id, Proposal.id.in_(shared)))
        .order_by(Proposal.last_saved_at.desc())
    )
    return list(db.session.scalars(query))


def submitted_proposals(*, initiative_ids: set[int] = frozenset(), school_ids: set[int] = frozenset()):
    """Submitted proposals to these initiatives or from directors of these doctoral schools."""
    if not initiative_ids and not school_ids:
        return []
    query = (
        select(Proposal)
        .where(Proposal.state == ProposalState.submitted)
        .where(or_(Proposal.initiative_id.in_(initiative_ids), Proposal.director_school_id.in_(school_ids)))
        .order_by(Proposal.submitted_at.desc())
    )
    return list(db.session.scalars(query))
