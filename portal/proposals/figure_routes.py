"""Figures of the description: upload (checked and re-encoded), show, delete."""

import re

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from portal.documents.errors import FigureError
from portal.documents.figures import prepare_figure
from portal.extensions import db
from portal.proposals import bp
from portal.proposals.limits import description_problem
from portal.proposals.models import ProposalFigure, ProposalState
from portal.proposals.permissions import editable_proposal, readable_proposal
from portal.proposals.printing import figure_row

_NAME = re.compile(r"[^a-z0-9]+")


def _figure_name(filename: str, taken: set[str]) -> str:
    stem = _NAME.sub("-", filename.rsplit(".", 1)[0].lower()).strip("-")[:40] or "figure"
    name, counter = stem, 2
    while name in taken:
        name, counter = f"{stem}-{counter}", counter + 1
    return name


@bp.route("/<int:proposal_id>/figures", methods=["POST"])
@login_required
def upload_figure(proposal_id: int):
    proposal = editable_proposal(proposal_id)
    back = redirect(url_for("proposals.edit", proposal_id=proposal.id) + "#figures")
    if proposal.state is not ProposalState.draft:
        abort(409)
    upload = request.files.get("figure")
    if upload is None or not upload.filename:
        flash(_("Choose a PNG or JPEG image to upload."), "warning")
        return back
    too_many = description_problem("", figures=len(proposal.figures) + 1)
    if too_many is not None:
        flash(str(too_many), "warning")
        return back
    name = _figure_name(upload.filename, {figure.name for figure in proposal.figures})
    try:
        image = prepare_figure(name, upload.read(), max_bytes=current_app.config["MAX_FIGURE_BYTES"])
    except FigureError as error:
        flash(str(error), "error")
        return back
    proposal.figures.append(figure_row(image))
    db.session.commit()
    flash(
        _(
            "Figure uploaded. Place it in the description with %(code)s.",
            code=f"![{_('Caption')}](figure:{name})",
        ),
        "success",
    )
    return back


def _figure(proposal_id: int, name: str, *, for_edit: bool) -> ProposalFigure:
    proposal = editable_proposal(proposal_id) if for_edit else readable_proposal(proposal_id)
    figure = db.session.scalar(
        select(ProposalFigure).where(ProposalFigure.proposal_id == proposal.id, ProposalFigure.name == name)
    )
    if figure is None:
        abort(404)
    return figure


@bp.route("/<int:proposal_id>/figures/<name>")
@login_required
def figure(proposal_id: int, name: str):
    found = _figure(proposal_id, name, for_edit=False)
    response = Response(found.data, mimetype=found.media_type)
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/<int:proposal_id>/figures/<name>/delete", methods=["POST"])
@login_required
def delete_figure(proposal_id: int, name: str):
    found = _figure(proposal_id, name, for_edit=True)
    proposal = found.proposal
    if f"figure:{name})" in proposal.content["description"] or any(
        f"figure:{name})" in revision.content["description"]
        for revision in proposal.revisions
        if revision.submitted
    ):
        flash(_("This figure is used in the description or a submitted version; it is kept."), "warning")
    else:
        db.session.delete(found)
        db.session.commit()
        flash(_("Figure deleted."), "success")
    return redirect(url_for("proposals.edit", proposal_id=proposal.id) + "#figures")
