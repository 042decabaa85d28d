"""The official PDF: submitted versions rendered once and stored, drafts rendered on demand."""

from flask import Response, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.audit.services import record
from portal.documents.errors import DocumentError
from portal.documents.naming import content_disposition
from portal.extensions import db
from portal.proposals import bp
from portal.proposals.models import ProposalState
from portal.proposals.permissions import can_edit, readable_proposal
from portal.proposals.printing import official_pdf


@bp.route("/<int:proposal_id>/pdf")
@login_required
def pdf(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    submitted = proposal.submitted_revision if proposal.state is ProposalState.submitted else None
    content = submitted.content if submitted else proposal.content
    try:
        filename, data = official_pdf(proposal, content, store=submitted is not None)
    except DocumentError as error:
        flash(_("The PDF could not be made: %(reason)s", reason=error.message), "error")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    if not can_edit(current_user, proposal):
        # Staff and reviewers reading someone else's proposal: the director may ask who did.
        record("proposal.pdf_downloaded", obj=proposal, submitted=submitted is not None)
    db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
