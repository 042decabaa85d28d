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
from portal.proposals.printing import official_pdf_file, submitted_content


@bp.route("/<int:proposal_id>/pdf")
@login_required
def pdf(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    submitted = submitted_content(proposal) if proposal.state is ProposalState.submitted else None
    try:
        filename, data, stored_now = official_pdf_file(
            proposal, submitted or proposal.content, store=submitted is not None
        )
    except DocumentError as error:
        flash(_("The PDF could not be made: %(reason)s", reason=error.message), "error")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    recorded = not can_edit(current_user, proposal)
    if recorded:
        # Staff and reviewers reading someone else's proposal: the programme sees who did.
        record("proposal.pdf_downloaded", obj=proposal, submitted=submitted is not None)
    if stored_now or recorded:
        # Only then: a commit would expire the signed-in user, loaded again after the response.
        db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = content_disposition(filename)
    return response
