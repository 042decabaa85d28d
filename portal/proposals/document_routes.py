"""The official PDF: served from the store, else made by a task while the page waits or refreshes."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.audit.services import record
from portal.documents.naming import content_disposition
from portal.extensions import db
from portal.proposals import bp
from portal.proposals.models import ProposalState
from portal.proposals.permissions import can_edit, readable_proposal
from portal.proposals.renders import ask_pdf, wait_pdf
from portal.refreshing import reloading

# How often the "being prepared" page reloads itself (no JavaScript needed).
REFRESH_SECONDS = 2


@bp.route("/<int:proposal_id>/pdf")
@login_required
def pdf(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    state = ask_pdf(proposal)
    if not state.done:
        state = wait_pdf(state.key)
    if state.failure is not None:
        flash(_("The PDF could not be made: %(reason)s", reason=state.failure), "error")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    if state.data is None:
        page = render_template("proposals/pdf_preparing.html", proposal=proposal)
        return reloading(page, pending=True, seconds=REFRESH_SECONDS)
    if state.filename is None:
        state = ask_pdf(proposal)  # made while this request waited: read again with its name
    if not can_edit(current_user, proposal):
        # Staff and reviewers reading someone else's proposal: the programme sees who did.
        record("proposal.pdf_downloaded", obj=proposal, submitted=proposal.state is ProposalState.submitted)
        db.session.commit()
    response = Response(state.data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(state.filename)
    return response
