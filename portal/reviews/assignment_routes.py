"""Assignment of a committee's proposals: the board (conflicts, bids, loads), manual assignment,
staff-set conflicts, and the automatic plan shown for confirmation before it is saved."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from portal.extensions import db
from portal.reviews import bp, services
from portal.reviews.assignment_plan import (
    WHY_BEYOND_TARGET,
    WHY_BID,
    WHY_LIGHTEST,
    WHY_MOVED,
    plan_assignments,
)
from portal.reviews.committee_admin import (
    assign_pairs,
    assignment_board,
    committee_member,
    committee_proposal,
)
from portal.reviews.models import Assignment, ConflictSource, Preference
from portal.reviews.permissions import board_committee, managed_committee
from portal.reviews.staff_forms import AssignForm, AutoAssignForm, ConflictForm, ConflictRulingForm, PairForm
from portal.security import form_view

# Why the plan chose each pair, in words (codes: WHY_*).
WHY_LABELS = {
    WHY_BID[Preference.eager]: _l("Asked for it (eager)."),
    WHY_BID[Preference.willing]: _l("Willing to review it."),
    WHY_BID[None]: _l("No bid."),
    WHY_BID[Preference.not_willing]: _l("Not willing, but no other member free of conflict had room."),
    WHY_LIGHTEST: _l("Within the even share of the work: the best bid, then the lightest load."),
    WHY_MOVED: _l("Takes this one so that another proposal could get a reviewer."),
    WHY_BEYOND_TARGET: _l("Beyond the even share: no other member free of conflict had room."),
}


def _conflict_form(committee, board, formdata=None) -> ConflictForm:
    form = ConflictForm(formdata=formdata)
    form.proposal.choices = [SelectChoice(p.id, f"#{p.id} {p.title}") for p in board.proposals]
    form.reviewer.choices = [SelectChoice(m.user_id, m.user.display_name) for m in board.members]
    return form


def _back(committee, proposal_id: int | None = None):
    anchor = f"proposal-{proposal_id}" if proposal_id else None
    return redirect(url_for("reviews.assignments", committee_id=committee.id, _anchor=anchor))


def render_board(
    committee, *, refused_ruling: ConflictRulingForm | None = None, pair=None, can_manage: bool = True
):
    """The assignment page; a refused ruling form comes back on its pair, with its errors. The
    committee's chair reads it without the forms."""
    board = assignment_board(committee, reader=None if can_manage else current_user)
    ruling_forms = {
        (proposal.id, member.user_id): ConflictRulingForm.for_pair(proposal.id, member.user_id, formdata=None)
        for proposal, member, _cell in board.to_rule()
    }
    if refused_ruling is not None:
        ruling_forms[pair] = refused_ruling
    return render_template(
        "reviews/staff/assignments.html",
        committee=committee,
        board=board,
        conflict_form=_conflict_form(committee, board),
        ruling_forms=ruling_forms,
        auto_form=AutoAssignForm(formdata=None),
        can_manage=can_manage,
    )


@bp.route("/committees/<int:committee_id>/assignments")
@login_required
def assignments(committee_id: int):
    committee, can_manage = board_committee(committee_id)
    return render_board(committee, can_manage=can_manage)


@bp.route("/committees/<int:committee_id>/assign", methods=["POST"])
@login_required
def assign(committee_id: int):
    committee = managed_committee(committee_id)
    form = AssignForm()
    proposal = committee_proposal(committee, form.proposal.data) if form.validate_on_submit() else None
    member = committee_member(committee, form.reviewer.data)
    if proposal is None or member is None:
        flash(_("Choose a proposal of this committee and one of its members."), "error")
        return _back(committee)
    load = services.member_load(committee, member.user_id)
    if member.max_load is not None and load >= member.max_load and not form.over_load.data:
        # Not silently: the member's maximum is shown and the assignment waits for the box.
        if form.asked.data:
            form.over_load.errors.append(_("Tick the box to assign beyond the maximum, or go back."))
        return render_template(
            "reviews/staff/assign_over_load.html",
            committee=committee,
            proposal=proposal,
            member=member,
            load=load,
            form=form,
        ), (422 if form.asked.data else 200)
    try:
        services.assign(
            committee=committee, proposal=proposal, reviewer=member.user, assigned_by=current_user
        )
    except services.AssignmentRefused as refused:
        db.session.rollback()
        if refused.args == ("suspected",):
            message = _(
                "%(name)s may be in conflict with this proposal: confirm or waive the conflict first.",
                name=member.user.display_name,
            )
        else:
            message = _(
                "%(name)s is in conflict with this proposal: not assigned.", name=member.user.display_name
            )
        flash(message, "error")
        return _back(committee, proposal.id)
    db.session.commit()
    if member.max_load is not None and load >= member.max_load:
        message = ngettext(
            "%(name)s is assigned to “%(title)s”, beyond their maximum of %(num)d proposal.",
            "%(name)s is assigned to “%(title)s”, beyond their maximum of %(num)d proposals.",
            member.max_load,
            name=member.user.display_name,
            title=proposal.title,
        )
    else:
        message = _(
            "%(name)s is assigned to “%(title)s”.", name=member.user.display_name, title=proposal.title
        )
    flash(message, "success")
    return _back(committee, proposal.id)


@bp.route("/committees/<int:committee_id>/unassign", methods=["POST"])
@login_required
def unassign(committee_id: int):
    committee = managed_committee(committee_id)
    form = PairForm()
    proposal = committee_proposal(committee, form.proposal.data) if form.validate_on_submit() else None
    assignment = (
        db.session.scalar(
            db.select(Assignment).where(
                Assignment.proposal_id == proposal.id, Assignment.reviewer_id == form.reviewer.data
            )
        )
        if proposal
        else None
    )
    if assignment is None:
        flash(_("This assignment no longer exists."), "info")
        return _back(committee)
    if assignment.review is not None and assignment.review.state.value == "submitted":
        flash(_("This reviewer has submitted a review: the assignment stays."), "error")
        return _back(committee, proposal.id)
    name = assignment.reviewer.display_name
    services.unassign(assignment=assignment)
    db.session.commit()
    flash(_("%(name)s is no longer assigned to “%(title)s”.", name=name, title=proposal.title), "success")
    return _back(committee, proposal.id)


@bp.route("/committees/<int:committee_id>/conflicts", methods=["POST"])
@login_required
@form_view
def set_conflict(committee_id: int):
    committee = managed_committee(committee_id)
    board = assignment_board(committee)
    form = _conflict_form(committee, board, formdata=request.form)
    if not form.validate_on_submit():
        flash(_("Choose a proposal and a member of the committee."), "error")
        return _back(committee)
    proposal = committee_proposal(committee, form.proposal.data)
    member = committee_member(committee, form.reviewer.data)
    services.declare_conflict(
        proposal=proposal,
        user=member.user,
        source=ConflictSource.staff,
        reason=(form.reason.data or "").strip() or _("Set by programme staff."),
    )
    db.session.commit()
    flash(_("Conflict recorded for %(name)s.", name=member.user.display_name), "success")
    return _back(committee, proposal.id)


def _pairs(values: list[str]) -> list[tuple[int, int]]:
    pairs = []
    for value in values:
        proposal_id, _sep, user_id = value.partition(":")
        if proposal_id.isdigit() and user_id.isdigit():
            pairs.append((int(proposal_id), int(user_id)))
    return pairs


@bp.route("/committees/<int:committee_id>/assignments/auto", methods=["GET", "POST"])
@login_required
@form_view
def auto_assign(committee_id: int):
    """GET: the plan for k reviewers per proposal, nothing saved; POST: save the pairs shown."""
    committee = managed_committee(committee_id)
    asked = True
    if request.method == "POST":
        form = AutoAssignForm()
        if form.validate_on_submit() and form.confirm.data == "yes":
            saved, refused = assign_pairs(
                committee=committee, pairs=_pairs(form.pairs.data or []), assigned_by=current_user
            )
            db.session.commit()
            flash(_("%(count)d assignments saved.", count=saved), "success")
            if refused:
                flash(
                    _(
                        "%(count)d planned assignments were not saved: the committee changed meanwhile.",
                        count=refused,
                    ),
                    "warning",
                )
            return redirect(url_for("reviews.assignments", committee_id=committee.id))
    else:
        # A GET only computes: the form's CSRF token matters on the confirming POST alone.
        asked = "per_proposal" in request.args
        form = AutoAssignForm(request.args if asked else None, meta={"csrf": False})
        if not asked:
            form.per_proposal.data = min(2, len(committee.members)) or 1
    plan = None
    if request.method == "POST" or asked:
        plan = plan_assignments(committee, per_proposal=form.per_proposal.data) if form.validate() else None
    board = assignment_board(committee)
    titles = {proposal.id: proposal for proposal in board.proposals}
    return render_template(
        "reviews/staff/auto_assign.html",
        committee=committee,
        form=form,
        plan=plan,
        titles=titles,
        board=board,
        why_labels={code: str(text) for code, text in WHY_LABELS.items()},
    ), (400 if asked and plan is None else 200)
