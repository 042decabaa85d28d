"""Inviting a co-editor, revoking, and the invitee's acceptance page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.forms import InvitedAccountForm
from portal.auth.services import find_user, set_password
from portal.auth.sessions import start_session
from portal.extensions import db, limiter
from portal.proposals import bp
from portal.proposals.co_editing import (
    InvitationError,
    accept,
    account_for_invitation,
    invite_co_editor,
    read_invitation,
    revoke,
)
from portal.proposals.forms import InviteCoEditorForm
from portal.proposals.models import ProposalEditor
from portal.proposals.permissions import owned_proposal
from portal.security import form_view


@bp.route("/<int:proposal_id>/co-editors", methods=["POST"])
@login_required
@limiter.limit("20 per hour")
def invite(proposal_id: int):
    proposal = owned_proposal(proposal_id)
    form = InviteCoEditorForm()
    back = redirect(url_for("proposals.edit", proposal_id=proposal.id) + "#co-editors")
    if not form.validate_on_submit():
        flash(" ".join(form.email.errors) or _("Enter a valid e-mail address."), "error")
        return back
    try:
        invite_co_editor(proposal=proposal, email=form.email.data, invited_by=current_user)
    except InvitationError as error:
        if str(error) == "owner":
            flash(_("You are the director of this proposal: invite someone else."), "warning")
        else:
            flash(_("This person already edits the proposal."), "info")
        return back
    db.session.commit()
    flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
    return back


@bp.route("/<int:proposal_id>/co-editors/<int:editor_id>/revoke", methods=["POST"])
@login_required
def revoke_co_editor(proposal_id: int, editor_id: int):
    proposal = owned_proposal(proposal_id)
    editor = db.session.get(ProposalEditor, editor_id)
    if editor is None or editor.proposal_id != proposal.id:
        abort(404)
    revoke(editor=editor)
    db.session.commit()
    flash(_("%(email)s can no longer edit this proposal.", email=editor.email), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id) + "#co-editors")


@bp.route("/co-editing/<token>", methods=["GET", "POST"])
@form_view
def accept_co_editing(token: str):
    """Signed in: accept. Otherwise set a password for the invited address, then accept."""
    editor = read_invitation(token)
    if editor is None:
        return render_template("auth/link_invalid.html"), 400
    proposal = editor.proposal
    if current_user.is_authenticated:
        if request.method == "POST" and request.form.get("action") == "accept":
            return _accepted(editor, current_user)
        return render_template(
            "proposals/accept_co_editing.html", editor=editor, proposal=proposal, form=None
        )
    existing = find_user(editor.email)
    if existing is not None and existing.has_password:
        flash(_("Sign in to accept the invitation."), "info")
        return redirect(url_for("auth.sign_in", next=request.path))
    form = InvitedAccountForm(data=_known_name(editor, existing))
    if form.validate_on_submit():
        invitee = account_for_invitation(editor)
        invitee.first_name = form.first_name.data.strip()
        invitee.last_name = form.last_name.data.strip()
        invitee.title = (form.title.data or "").strip()
        set_password(user=invitee, password=form.password.data)
        start_session(invitee)
        return _accepted(editor, invitee)
    return render_template("proposals/accept_co_editing.html", editor=editor, proposal=proposal, form=form)


def _known_name(editor: ProposalEditor, account) -> dict[str, str]:
    """What the form already knows of the invitee: the account's name, else the co-supervisor the
    director typed, when the invitation went to that address."""
    if account is not None and (account.first_name or account.last_name):
        return {"first_name": account.first_name, "last_name": account.last_name, "title": account.title}
    person = editor.proposal.content.get("co_supervisor") or {}
    if (person.get("email") or "").strip().casefold() != editor.email.casefold():
        return {}
    return {key: person.get(key) or "" for key in ("first_name", "last_name", "title")}


def _accepted(editor: ProposalEditor, user):
    proposal = editor.proposal
    try:
        accept(editor=editor, user=user)
    except InvitationError:
        flash(_("You are the director of this proposal already."), "info")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    db.session.commit()
    flash(_("You can now edit “%(title)s”.", title=proposal.title or proposal.id), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))
