"""The staff dashboard, the doctoral school's opinion, the reminders to directors of drafts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.auth.models import Role
from portal.auth.permissions import role_required
from portal.dashboards import bp
from portal.dashboards.forms import SORTS, DashboardFilterForm, OpinionForm, RemindForm
from portal.dashboards.models import Opinion, SchoolOpinion
from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.dashboards.progress import initiative_progress, review_progress, sees_reviews
from portal.dashboards.services import (
    DashboardFilters,
    chosen_campaign,
    dashboard_page,
    drafts_to_remind,
    send_draft_reminders,
    state_counts,
    supervision_shares,
)
from portal.exports.selection import Filters
from portal.extensions import db
from portal.navigation import redirect_next
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.permissions import readable_proposal
from portal.reference.models import Campaign

staff_required = role_required(Role.school_staff, Role.programme_staff, Role.admin)


@bp.route("/")
@staff_required
def index():
    form = DashboardFilterForm(request.args, meta={"csrf": False})
    filters = DashboardFilters.from_args(request.args)
    page = dashboard_page(filters, user=current_user, page=request.args.get("page", 1, type=int))
    proposals = page.items
    campaign = chosen_campaign(filters)
    return render_template(
        "dashboards/index.html",
        form=form,
        filters=filters,
        args=filters.as_args(),
        page=page,
        opinions=opinions_of([proposal.id for proposal in proposals]),
        shares=supervision_shares({proposal.owner_id for proposal in proposals}, user=current_user),
        campaign=campaign,
        counts=state_counts(campaign, user=current_user),
        show_reviews=sees_reviews(current_user),
        progress=review_progress(proposals, user=current_user),
        committees=initiative_progress(campaign, user=current_user),
        school_ids=current_user.staff_school_ids(),
        export_args=filters.scope.as_args(),
        remind_args={**filters.scope.as_args(), "campaign": campaign.year} if campaign else {},
        OPINIONS=OPINIONS,
        SORTS=SORTS,
        ProposalState=ProposalState,
    )


def may_give_opinion(proposal: Proposal) -> bool:
    """The staff of the director's doctoral school, and no one else (not even administrators)."""
    return (
        proposal.director_school_id is not None
        and proposal.director_school_id in current_user.staff_school_ids()
    )


@bp.route("/<int:proposal_id>/opinion", methods=["POST"])
@login_required  # not staff_required: a proposal one may not read is a 404 for everyone
def opinion(proposal_id: int):
    proposal = readable_proposal(proposal_id)
    if not may_give_opinion(proposal):
        abort(403)
    form = OpinionForm()
    back = redirect_next("dashboards.index")
    if proposal.state is not ProposalState.submitted:
        flash(_("The doctoral school gives its opinion on submitted proposals only."), "error")
        return back
    if not form.validate_on_submit():
        flash(_("Choose an opinion: favourable, reserved or unfavourable."), "error")
        return back
    row = db.session.query(SchoolOpinion).filter_by(proposal_id=proposal.id).one_or_none()
    if row is None:
        row = SchoolOpinion(proposal_id=proposal.id)
        db.session.add(row)
    row.opinion = Opinion(form.opinion.data)
    row.comment = (form.comment.data or "").strip()
    row.author_id = current_user.id
    db.session.commit()
    flash(_("Opinion recorded on “%(title)s”.", title=proposal.title or proposal.id), "success")
    return back


@bp.route("/remind", methods=["GET", "POST"])
@staff_required
def remind():
    """GET: who would be reminded of which drafts, and a button to confirm; POST: send the e-mails."""
    filters = Filters.from_args(request.form if request.method == "POST" else request.args)
    back = url_for("dashboards.index", **filters.as_args())
    by_owner = drafts_to_remind(filters, user=current_user)
    if not by_owner:
        flash(
            _("No director to remind: no unsubmitted draft in an open call before its deadline."),
            "warning",
        )
        return redirect(back)
    form = RemindForm()
    if not form.validate_on_submit():
        return render_template(
            "dashboards/remind.html",
            form=form,
            filters=filters,
            by_owner=by_owner,
            drafts=sum(len(drafts) for drafts in by_owner.values()),
            campaign=db.session.scalar(select(Campaign).where(Campaign.year == filters.campaign))
            if filters.campaign is not None
            else None,
            back=back,
        )
    sent = send_draft_reminders(by_owner)
    # After sending: when the mail module keeps an outbox, its rows are written by this commit.
    db.session.commit()
    flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", sent), "success")
    return redirect(back)
