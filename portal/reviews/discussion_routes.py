"""The discussion of a proposal: its committee without the members in conflict, and its managers."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.extensions import db
from portal.reviews import bp
from portal.reviews.anonymity import reviewer_names
from portal.reviews.models import DiscussionPost
from portal.reviews.permissions import (
    assignment_of,
    can_see_other_reviews,
    committee_page,
    manages,
    on_committee_side,
)
from portal.reviews.review_page import is_open
from portal.reviews.reviewer_forms import CONFIDENCE_LABELS, DiscussionForm, language
from portal.reviews.reviewer_lists import other_reviews, set_aside_reviews
from portal.reviews.services import post_message
from portal.security import form_view


@bp.route("/proposals/<int:proposal_id>/discussion", methods=["GET", "POST"], endpoint="discussion")
@login_required
@form_view
def discussion(proposal_id: int):
    proposal, committee = committee_page(proposal_id)
    if not on_committee_side(current_user, proposal, committee):
        abort(404)
    form = DiscussionForm()
    if form.validate_on_submit():
        post_message(proposal=proposal, author=current_user, body=form.body.data)
        db.session.commit()
        flash(_("Your message is posted."), "success")
        return redirect(url_for("reviews.discussion", proposal_id=proposal.id) + "#discussion-end")
    posts = db.session.scalars(
        select(DiscussionPost)
        .where(DiscussionPost.proposal_id == proposal.id)
        .order_by(DiscussionPost.created_at, DiscussionPost.id)
    ).all()
    visible = can_see_other_reviews(current_user, proposal, committee)
    others, unfinished = other_reviews(proposal, current_user) if visible else ([], 0)
    managing = manages(current_user, committee)
    return render_template(
        "reviews/reviewer/discussion.html",
        proposal=proposal,
        committee=committee,
        posts=posts,
        form=form,
        own_assignment=assignment_of(current_user, proposal),
        is_open=is_open(committee),
        can_see_others=visible,
        others=others,
        unfinished=unfinished,
        language=language(),
        confidence_labels=CONFIDENCE_LABELS,
        opinion=opinions_of([proposal.id]).get(proposal.id),
        opinion_labels=OPINIONS,
        # Managers know the school's staff; members read the school's opinion, not who typed it.
        show_opinion_author=managing,
        # Kept for programme staff and administrators alone: no reviewer or director reads them.
        set_aside=set_aside_reviews(proposal) if managing else [],
        names=reviewer_names(current_user, proposal, committee),
    ), (400 if form.errors else 200)
