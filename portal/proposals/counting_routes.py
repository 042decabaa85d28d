"""Where a page count made by a worker reaches the director: the script's poll, and the page
that refreshes itself for a browser without JavaScript."""

from flask import jsonify, render_template
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db, limiter
from portal.proposals import bp, measures
from portal.proposals.editing import description_preview, preview_answer
from portal.proposals.permissions import editable_proposal
from portal.refreshing import reloading

# How often the page without JavaScript reloads itself while the count is being made.
REFRESH_SECONDS = 2


@bp.route("/<int:proposal_id>/preview/<key>")
@login_required
@limiter.limit("240 per minute")
def preview_poll(proposal_id: int, key: str):
    """The live counter's poll: the count of the text this person asked for, once made."""
    proposal = editable_proposal(proposal_id)
    request = measures.wanted(proposal, current_user, key)
    if request is None:
        # This person asked for a newer text since (another tab): that one's answer will come.
        return jsonify(status="overtaken", label=_("Counting the pages…")), 404
    answer = preview_answer(proposal, request.text, measures.look_up(key, db.session))
    return jsonify(answer), 202 if answer["status"] == "counting" else 200


@bp.route("/<int:proposal_id>/counting")
@login_required
def counting(proposal_id: int):
    """The saved draft's page count and preview, without JavaScript ("Preview and count pages")."""
    proposal = editable_proposal(proposal_id)
    answer = description_preview(proposal, proposal.content.get("description") or "")
    counting_now = answer["status"] == "counting"
    page = render_template("proposals/counting.html", proposal=proposal, answer=answer, refresh=counting_now)
    return reloading(page, pending=counting_now, seconds=REFRESH_SECONDS)
