"""The review form's autosave (static/js/autosave.js, as on the PRD form): the form's own fields,
checked as the Save button checks them, and an answer in JSON for the status beside the buttons."""

from flask import jsonify
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm.exc import StaleDataError

from portal.extensions import db, limiter
from portal.reviews import bp
from portal.reviews.models import ReviewState
from portal.reviews.permissions import reviewable_proposal
from portal.reviews.review_page import ReviewPage
from portal.reviews.reviewing import CLOSED_PUBLISHED, ReviewClosed, ReviewStale, save_review
from portal.timezones import local_time


def _refused(form):
    """The first field the form refused, with its message, as the page without JavaScript shows it."""
    for name, messages in form.errors.items():
        if name != "csrf_token" and name in form._fields:
            return jsonify(status="invalid", field=name, message=str(messages[0])), 400
    return jsonify(
        status="invalid", field=None, message=_("These changes could not be saved: reload the page.")
    ), 400


def _closed(reason: str):
    if reason == CLOSED_PUBLISHED:
        message = _("The decisions are published: the review can no longer be changed.")
    else:
        message = _("The review deadline has passed: the review can no longer be changed.")
    return jsonify(status="closed", message=message), 409


@bp.route("/proposals/<int:proposal_id>/review/autosave", methods=["POST"], endpoint="reviewer_autosave")
@login_required
@limiter.limit("120 per minute")
def autosave(proposal_id: int):
    """Keep a draft review while the reviewer writes it; a submitted one changes only by its button."""
    proposal, assignment, committee = reviewable_proposal(proposal_id)
    page = ReviewPage(proposal, assignment, committee).posted_form()
    if not page.form.validate_on_submit():
        return _refused(page.form)
    review = assignment.review
    # Half-typed changes to a submitted review would reach the other reviewers at once.
    if review is not None and review.state is ReviewState.submitted:
        return jsonify(
            status="locked", message=_("Your review is submitted: press “Save changes” to change it.")
        ), 409
    try:
        review = save_review(
            assignment=assignment,
            committee=committee,
            data=page.form.review_data(),
            base_version=page.base_version(),
        )
        db.session.commit()
    except (ReviewStale, StaleDataError):
        db.session.rollback()
        return jsonify(
            status="conflict",
            message=_(
                "Your review was saved meanwhile in another window. Your changes are not saved yet: press "
                "“Save draft” to compare the two and merge."
            ),
        ), 409
    except ReviewClosed as closed:
        db.session.rollback()
        return _closed(closed.reason)
    return jsonify(
        status="saved",
        version=review.version,
        message=_("Saved at %(time)s", time=local_time(review.updated_at)),
    )
