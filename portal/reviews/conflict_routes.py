"""Programme staff confirm or waive a suspected conflict from the assignment page (plain forms)."""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.extensions import db
from portal.reviews import bp
from portal.reviews.assignment_routes import render_board
from portal.reviews.committee_admin import committee_member, committee_proposal
from portal.reviews.conflict_rulings import NothingToRule, rule_on_conflict
from portal.reviews.models import ConflictVerdict
from portal.reviews.permissions import managed_committee
from portal.reviews.staff_forms import ConflictRulingForm
from portal.security import form_view


@bp.route("/committees/<int:committee_id>/conflicts/ruling", methods=["POST"])
@login_required
@form_view
def rule_conflict(committee_id: int):
    """Confirm or waive the detected conflicts of the pair named by the form's hidden fields."""
    committee = managed_committee(committee_id)
    proposal_id, user_id = request.form.get("proposal", type=int), request.form.get("reviewer", type=int)
    proposal, member = committee_proposal(committee, proposal_id), committee_member(committee, user_id)
    if proposal is None or member is None:
        flash(_("Choose a proposal of this committee and one of its members."), "error")
        return redirect(url_for("reviews.assignments", committee_id=committee.id))
    form = ConflictRulingForm.for_pair(proposal_id, user_id)
    valid = form.validate_on_submit()
    if valid and form.confirm.data == form.waive.data:
        form.reason.errors = [_("Press “Confirm the conflict” or “Waive the conflict”.")]
        valid = False
    if not valid:
        return render_board(committee, refused_ruling=form, pair=(proposal_id, user_id)), 400
    verdict = ConflictVerdict.waived if form.waive.data else ConflictVerdict.confirmed
    try:
        rule_on_conflict(
            proposal=proposal,
            user=member.user,
            verdict=verdict,
            reason=form.reason.data.strip(),
            decided_by=current_user,
        )
    except NothingToRule:
        db.session.rollback()
        flash(_("No detected conflict is left to confirm or waive for this pair."), "info")
    else:
        db.session.commit()
        if verdict is ConflictVerdict.waived:
            flash(_("The conflict of %(name)s is waived.", name=member.user.display_name), "success")
        else:
            flash(_("The conflict of %(name)s is confirmed.", name=member.user.display_name), "success")
    return redirect(
        url_for("reviews.assignments", committee_id=committee.id, _anchor=f"proposal-{proposal.id}")
    )
