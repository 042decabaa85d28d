"""Saved revisions: the list, a readable diff between any two, and restoring one as the draft."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.proposals import bp
from portal.proposals.diff import changes
from portal.proposals.models import Proposal, ProposalRevision, ProposalState
from portal.proposals.permissions import can_edit, editable_proposal, readable_proposal
from portal.proposals.services import NotAllowedNow, StaleVersion, restore_revision


def _revision(proposal: Proposal, number: int) -> ProposalRevision:
    revision = db.session.scalar(
        select(ProposalRevision).where(
            ProposalRevision.proposal_id == proposal.id, ProposalRevision.number == number
        )
    )
    if revision is None:
        abort(404)
    return revision


@bp.route("/<int:proposal_id>/history")
@login_required
def history(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    revisions = list(reversed(proposal.revisions))
    return render_template(
        "proposals/history.html",
        proposal=proposal,
        revisions=revisions,
        by_number={revision.number: revision for revision in revisions},
        can_restore=can_edit(current_user, proposal) and proposal.state is ProposalState.draft,
    )


@bp.route("/<int:proposal_id>/history/diff")
@login_required
def diff(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    numbers = [revision.number for revision in proposal.revisions]
    older = request.args.get("from", type=int, default=numbers[-2] if len(numbers) > 1 else numbers[-1])
    newer = request.args.get("to", type=int, default=numbers[-1])
    before, after = _revision(proposal, older), _revision(proposal, newer)
    return render_template(
        "proposals/diff.html",
        proposal=proposal,
        before=before,
        after=after,
        numbers=numbers,
        changes=changes(before.content, after.content),
    )


@bp.route("/<int:proposal_id>/history/<int:number>/restore", methods=["POST"])
@login_required
def restore(proposal_id: int, number: int):
    proposal = editable_proposal(proposal_id)
    revision = _revision(proposal, number)
    try:
        restore_revision(
            proposal=proposal,
            revision=revision,
            base_version=request.form.get("base_version", type=int, default=0),
            author=current_user,
        )
    except NotAllowedNow:
        flash(_("Reopen the proposal before restoring an earlier version."), "warning")
        return redirect(url_for("proposals.history", proposal_id=proposal.id))
    except StaleVersion:
        db.session.rollback()
        flash(_("The proposal changed while you were looking: check the history again."), "warning")
        return redirect(url_for("proposals.history", proposal_id=proposal.id))
    db.session.commit()
    flash(
        _("Version %(number)d is the draft again; the history keeps every version.", number=number), "success"
    )
    return redirect(url_for("proposals.edit", proposal_id=proposal.id))
