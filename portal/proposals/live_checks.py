"""Live checks while the form is filled: the submission's own rules, run on what is typed.

The form's script (static/js/live-checks.js) posts the form here as the director types or leaves a
field, without the description (measured apart). The answer holds each problem the submission rules
(rules.py) find, placed on its field by the field's id and in the page's language, and each students
block's total against the cap of its doctoral school (editing.share_summary). The script holds no
rule and no wording of its own, so the page and the server cannot disagree. Nothing is saved, and
nothing heavy is done: a few small queries, on a body of bounded size.
"""

from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.exceptions import RequestEntityTooLarge

from portal.extensions import csrf, limiter
from portal.proposals import bp
from portal.proposals.content import normalise
from portal.proposals.editing import share_summary
from portal.proposals.forms import ProposalForm, content_from_form, field_for_path
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.permissions import editable_proposal
from portal.proposals.rules import LIVE_RULES, submission_problems

# The whole form but the description fits in far less: 40 students take about 8 KiB.
MAX_BYTES = 64 * 1024
NO_STUDENTS = {"students": [], "doctoral_school": None}


def check_answer(proposal: Proposal, form: ProposalForm) -> dict[str, Any]:
    """The problems of what `form` holds, by field id, and the students' totals and caps.

    `live` marks the rules shown as soon as they hold (LIVE_RULES); the others only on a field the
    user has changed. The description is left out: its rules need the page measure.
    """
    typed = normalise(content_from_form(form))
    problems = []
    for problem in submission_problems(typed, campaign=proposal.campaign):
        field = field_for_path(form, problem.path) if problem.path != "description" else None
        if field is not None and hasattr(field, "errors"):
            problems.append(
                {"field": field.id, "message": str(problem.message), "live": problem.rule in LIVE_RULES}
            )
    students = {}
    for who in ("director", "co_supervisor"):
        summary = share_summary(typed[who] or NO_STUDENTS)
        students[who] = {key: summary[key] for key in ("total", "cap_label", "warning")}
    return {"problems": problems, "students": students}


@bp.route("/<int:proposal_id>/checks", methods=["POST"])
# The global CSRF hook would read the body before its bound is set here; the form checks the token.
@csrf.exempt
@login_required
@limiter.limit("120 per minute")
def live_checks(proposal_id: int):
    proposal = editable_proposal(proposal_id)
    if proposal.state is not ProposalState.draft:
        return jsonify(status="locked", message=_("This proposal is no longer a draft.")), 409
    request.max_content_length = MAX_BYTES
    try:
        form = ProposalForm(campaign=proposal.campaign)
    except RequestEntityTooLarge:
        return jsonify(status="too_large"), 413
    # Only a bad token stops the check: what else the form refuses is the rules' to say.
    form.validate_on_submit()
    if form.csrf_token.errors:
        return jsonify(status="refused"), 400
    return jsonify(status="checked", **check_answer(proposal, form))
