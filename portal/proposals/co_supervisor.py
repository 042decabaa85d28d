"""Filling the co-supervisor's block from an account, only when its owner shares it.

A director types an address and asks for the person's details. They get them only from an account
whose owner said yes: a supervisor who lets directors find them in their profile, or who accepted
to co-edit this very proposal; and one's own details, always. Staff and administrator accounts are
never shown to anyone else. Any other address, known or not, gets the same answer as an unknown
one, in the same single query.
"""

from typing import Any

from sqlalchemy import func, select

from portal.audit.services import record
from portal.auth.models import STAFF_ROLES, Role, RoleGrant, User
from portal.auth.services import normalise_email
from portal.extensions import db
from portal.proposals.content import affiliation_from_profile
from portal.proposals.models import Proposal


def _holds(*roles: Role):
    return select(RoleGrant.id).where(RoleGrant.user_id == User.id, RoleGrant.role.in_(roles)).exists()


def _open_to_directors(address: str) -> User | None:
    """The supervisor account at this address whose owner lets directors find it, if any."""
    return db.session.scalar(
        select(User).where(
            func.lower(User.email) == address,
            User.findable_as_co_supervisor.is_(True),
            User.disabled.is_(False),
            User.email_confirmed_at.is_not(None),
            _holds(Role.supervisor),
            ~_holds(*STAFF_ROLES),
        )
    )


def _co_editor(proposal: Proposal, address: str) -> User | None:
    """A co-editor who accepted this proposal's invitation: they chose to work on it."""
    for editor in proposal.editors:
        user = editor.user
        if user is not None and user.email.lower() == address and not user.needs_two_factor:
            return user
    return None


def shared_account(*, proposal: Proposal, email: str, reader: User) -> User | None:
    """The account whose details `reader` may copy into `proposal`, or None."""
    address = normalise_email(email)
    if address == reader.email.lower():
        return reader
    return _co_editor(proposal, address) or _open_to_directors(address)


def look_up_co_supervisor(*, proposal: Proposal, email: str, reader: User) -> User | None:
    """Find the shared account and record the look-up; the address typed is not kept."""
    account = shared_account(proposal=proposal, email=email, reader=reader)
    if account is None:
        record("co_supervisor.looked_up", actor=reader, obj=proposal, found=False)
    else:
        record("co_supervisor.looked_up", actor=reader, obj=proposal, found=True, account=account.id)
    return account


def profile_fields(account: User) -> dict[str, Any]:
    """What the co-supervisor block takes from the account, as content keys."""
    person: dict[str, Any] = {
        "last_name": account.last_name,
        "first_name": account.first_name,
        "title": account.title,
        "email": account.email,
    }
    person.update(affiliation_from_profile(account))
    return person
