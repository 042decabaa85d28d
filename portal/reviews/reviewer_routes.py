"""The reviewer's side: their assignments, bidding, declaring a conflict, the review form."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from portal.auth.models import Role
from portal.auth.permissions import role_required
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import redirect_next
from portal.reviews import bp
from portal.reviews.conflicts import in_conflict
from portal.reviews.models import ConflictSource, Preference
from portal.reviews.permissions import committee_page, membership, reviewable_proposal
from portal.reviews.phases import timeline
from portal.reviews.review_page import ReviewPage, is_open
from portal.reviews.reviewer_forms import ConflictForm, bid_field_name, bid_form_class, reviewer_label
from portal.reviews.reviewer_lists import biddable, bids_of, chaired, my_assignments
from portal.reviews.reviewing import ReviewClosed, ReviewIncomplete, ReviewStale, save_review, submit_review
from portal.reviews.services import declare_conflict, set_bid
from portal.security import form_view

bp.add_app_template_filter(reviewer_label, "reviewer_label")
bp.add_app_template_global(timeline, "committee_timeline")


@bp.route("/", endpoint="reviewer_index")
@role_required(Role.reviewer)
def index():
    return render_template(
        "reviews/reviewer/index.html",
        desks=my_assignments(current_user),
        chaired=chaired(current_user),
        conflict_form=ConflictForm(),
    )


@bp.route("/bids", methods=["GET", "POST"], endpoint="reviewer_bids")
@role_required(Role.reviewer)
@form_view
def bids():
    now = utcnow()
    # Only the committees whose bidding is open take preferences; the others say why not.
    groups = [
        (committee, listed, dates, dates.bidding_open(now))
        for committee, listed in biddable(current_user)
        for dates in [timeline(committee)]
    ]
    proposals = [proposal for _c, listed, _d, is_open in groups if is_open for proposal in listed]
    closed = {
        bid_field_name(proposal.id): committee
        for committee, listed, _dates, is_open in groups
        if not is_open
        for proposal in listed
    }
    saved = bids_of(current_user, [proposal.id for proposal in proposals])
    form_class = bid_form_class([proposal.id for proposal in proposals])
    refused = None
    if request.method == "POST":
        form = form_class()
        # A page loaded before bidding closed, sent after: nothing is saved, and the page says why.
        refused = next((committee for name, committee in closed.items() if name in request.form), None)
        if refused is None and form.validate_on_submit():
            for proposal in proposals:
                value = form[bid_field_name(proposal.id)].data
                set_bid(proposal=proposal, user=current_user, preference=Preference(value) if value else None)
            db.session.commit()
            flash(_("Your preferences are saved."), "success")
            return redirect(url_for("reviews.reviewer_bids"))
    else:
        data = {bid_field_name(pid): bid.preference.value for pid, bid in saved.items()}
        form = form_class(formdata=None, data=data)
    return render_template(
        "reviews/reviewer/bids.html",
        groups=groups,
        form=form,
        bid_field_name=bid_field_name,
        conflict_form=ConflictForm(),
        refused=refused,
        proposals_open=bool(proposals),
    ), (409 if refused else 400 if form.errors else 200)


@bp.route("/proposals/<int:proposal_id>/conflict", methods=["POST"], endpoint="reviewer_conflict")
@login_required
def conflict(proposal_id: int):
    """A committee member says they are in conflict: the proposal leaves everything they see."""
    proposal, committee = committee_page(proposal_id)
    # Managers see the proposal, but only a member declares their own conflict.
    if membership(current_user, committee) is None or in_conflict(current_user, proposal):
        abort(404)
    form = ConflictForm()
    if not form.validate_on_submit():
        flash(_("Give a short reason for the conflict, then press the button again."), "error")
        return redirect_next("reviews.reviewer_index")
    declare_conflict(
        proposal=proposal, user=current_user, source=ConflictSource.declared, reason=form.reason.data.strip()
    )
    db.session.commit()
    flash(_("Conflict declared: this proposal is no longer shown to you."), "success")
    return redirect(url_for("reviews.reviewer_index"))


@bp.route("/proposals/<int:proposal_id>/review", methods=["GET", "POST"], endpoint="reviewer_review")
@login_required
@form_view
def review(proposal_id: int):
    proposal, assignment, committee = reviewable_proposal(proposal_id)
    page = ReviewPage(proposal, assignment, committee)
    if request.method == "GET":
        return page.saved_form().render()
    page.posted_form()
    if is_open(committee) and not page.form.validate_on_submit():
        return page.render(), 400
    try:
        save_review(
            assignment=assignment,
            committee=committee,
            data=page.form.review_data(),
            base_version=page.base_version(),
        )
    except (ReviewStale, StaleDataError):
        db.session.rollback()
        return page.conflict().render(), 409
    except ReviewIncomplete as incomplete:
        # A submitted review must stay complete: nothing is saved, the problems are shown.
        db.session.rollback()
        return page.refused(incomplete.problems).render(), 422
    except ReviewClosed as closed:
        db.session.rollback()
        page.closed_message = closed.reason
        return page.render(), 409
    if request.form.get("action") == "submit":
        try:
            submit_review(assignment=assignment, committee=committee)
        except ReviewIncomplete as incomplete:
            # The draft was saved before the checks: keep it, then show what is missing.
            db.session.commit()
            return page.refused(incomplete.problems).render(), 422
        db.session.commit()
        flash(_("Your review is submitted. You may change it until the review deadline."), "success")
    else:
        db.session.commit()
        flash(_("Your review is saved."), "success")
    return redirect(url_for("reviews.reviewer_review", proposal_id=proposal.id))
