"""Who reads a proposal's audit trail, and which of its events (audiences.py)."""

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from portal.audit.audiences import Audience, actions_for, audiences_of
from portal.auth.models import User
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_read, readable_proposal


@dataclass(frozen=True)
class TrailReader:
    """The events one reader may see on one proposal's trail."""

    is_admin: bool
    audiences: frozenset[Audience]

    @property
    def may_read(self) -> bool:
        return self.is_admin or bool(self.audiences)

    @property
    def actions(self) -> list[str] | None:
        """The actions shown; None for every action (administrators)."""
        return None if self.is_admin else actions_for(self.audiences)

    @property
    def is_staff(self) -> bool:
        """Staff see where each event came from (the IP address); editors see what was done."""
        return self.is_admin or bool(self.audiences - {Audience.editors})


def trail_reader(user: User, proposal: Proposal) -> TrailReader:
    if not user.is_authenticated:
        return TrailReader(False, frozenset())
    return TrailReader(user.is_admin, audiences_of(user, proposal))


def can_read_trail(user: User, proposal: Proposal) -> bool:
    return can_read(user, proposal) and trail_reader(user, proposal).may_read


def trail_proposal(proposal_id: int) -> tuple[Proposal, TrailReader]:
    """404 for those who may not read the proposal; 403 for readers with no audience on its trail
    (reviewers: the committee's work is followed by its managers)."""
    proposal = readable_proposal(proposal_id)
    reader = trail_reader(current_user, proposal)
    if not reader.may_read:
        abort(403)
    return proposal, reader
