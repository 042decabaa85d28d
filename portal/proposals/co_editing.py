"""Co-editors: the director invites someone (usually the co-supervisor) by e-mail to edit one proposal.

The link is signed and expires; it names the invitation, so revoking the invitation kills the link,
and accepting it once uses it up.
"""

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import Role, User
from portal.auth.services import find_user, grant_role, normalise_email
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal, ProposalEditor

_SALT = "prd-portal/co-editor"


class InvitationError(Exception):
    pass


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def invite_co_editor(*, proposal: Proposal, email: str, invited_by: User) -> ProposalEditor:
    """Record the invitation and e-mail its link; inviting the same address again re-sends it."""
    email = normalise_email(email)
    if email == proposal.owner.email:
        raise InvitationError("owner")
    editor = db.session.scalar(
        select(ProposalEditor).where(ProposalEditor.proposal_id == proposal.id, ProposalEditor.email == email)
    )
    if editor is None:
        editor = ProposalEditor(proposal=proposal, email=email, invited_by_id=invited_by.id)
        db.session.add(editor)
    elif editor.accepted_at is not None:
        raise InvitationError("accepted")
    editor.invited_at = utcnow()
    db.session.flush()
    record("co_editor.invited", actor=invited_by, obj=editor, proposal=proposal, email=email)
    token = _serializer().dumps({"i": editor.id, "p": proposal.id})
    invitee = find_user(email)
    send_template(
        to=email,
        template="co_editor_invitation",
        locale=invitee.locale if invitee else invited_by.locale,
        proposal=proposal,
        inviter=invited_by,
        url=url_for("proposals.accept_co_editing", token=token, _external=True),
    )
    return editor


def read_invitation(token: str) -> ProposalEditor | None:
    """The pending invitation the link names, or None if forged, expired, revoked or used."""
    max_age = current_app.config["INVITATION_MAX_AGE"]
    try:
        data = _serializer().loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    editor = db.session.get(ProposalEditor, data.get("i"))
    if editor is None or editor.proposal_id != data.get("p") or editor.accepted_at is not None:
        return None
    return editor


def accept(*, editor: ProposalEditor, user: User) -> None:
    """`user` may now edit this proposal, and no other."""
    if user.id == editor.proposal.owner_id:
        raise InvitationError("owner")
    already = any(other.user_id == user.id for other in editor.proposal.editors if other is not editor)
    if already:
        db.session.delete(editor)
    else:
        editor.user = user
        editor.accepted_at = utcnow()
    if not user.has_role(Role.supervisor):
        grant_role(user=user, role=Role.supervisor)
    db.session.flush()
    record("co_editor.accepted", actor=user, obj=editor, proposal=editor.proposal, email=editor.email)


def account_for_invitation(editor: ProposalEditor) -> User:
    """The invitee's account, created without a password when they have none yet."""
    user = find_user(editor.email)
    if user is None:
        user = User(email=normalise_email(editor.email))
        db.session.add(user)
        db.session.flush()
        grant_role(user=user, role=Role.supervisor)
    return user


def revoke(*, editor: ProposalEditor) -> None:
    proposal = editor.proposal
    db.session.delete(editor)
    db.session.flush()
    record("co_editor.revoked", obj=editor, proposal=proposal, email=editor.email)
