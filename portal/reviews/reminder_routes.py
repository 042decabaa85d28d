"""Programme staff remind the reviewers of their pending reviews from the committee's page: a page
lists who will be e-mailed about which reviews, and nothing is sent before it is confirmed."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from portal.db import utcnow
from portal.extensions import db
from portal.reviews import bp
from portal.reviews.permissions import managed_committee
from portal.reviews.reminders import progress, reminders_due, reviews_not_open, send_reminders
from portal.security import form_view

# The committee's page shows each member's progress without its route knowing of it.
bp.add_app_template_global(progress, "reviewer_progress")

STALE = _l("This page is out of date: look at the list again, then confirm.")


class RemindReviewersForm(FlaskForm):
    """What the confirmation page showed: the reviewers listed, and when."""

    reviewers = HiddenField(
        validators=[
            DataRequired(STALE),
            Length(max=10000, message=STALE),
            Regexp(r"^\d{1,12}(,\d{1,12})*$", message=STALE),
        ]
    )
    shown_at = HiddenField(validators=[DataRequired(STALE), Length(max=40, message=STALE)])

    def validate_shown_at(self, field):
        try:
            shown = datetime.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(STALE) from None
        if shown.tzinfo is None or shown > utcnow():
            raise ValidationError(STALE)
        field.shown = shown.astimezone(UTC)

    def reviewer_ids(self) -> set[int]:
        return {int(part) for part in self.reviewers.data.split(",")}


def _back(committee):
    return redirect(url_for("reviews.committee", committee_id=committee.id, _anchor="progress"))


@bp.route("/committees/<int:committee_id>/reminders", methods=["GET", "POST"])
@login_required
@form_view
def remind_reviewers(committee_id: int):
    """GET: who would be reminded of which reviews, and a button to confirm; POST: send the e-mails."""
    committee = managed_committee(committee_id)
    if (why := reviews_not_open(committee)) is not None:
        flash(_("Reviews are not open (%(why)s): there is nobody to remind.", why=why), "warning")
        return _back(committee)
    due = reminders_due(committee)
    if not due:
        flash(_("No reviewer to remind: every assigned review is submitted."), "success")
        return _back(committee)
    form = RemindReviewersForm()
    if not form.validate_on_submit():
        form.reviewers.data = ",".join(str(item.reviewer.id) for item in due)
        form.shown_at.data = utcnow().isoformat()
        members = {member.user_id: member for member in committee.members}
        return render_template(
            "reviews/staff/remind.html", committee=committee, form=form, due=due, members=members
        ), (400 if form.errors else 200)
    confirmed = form.reviewer_ids()
    sent = send_reminders(committee=committee, only=confirmed, shown_at=form.shown_at.shown)
    db.session.commit()  # writes the reminders to the outbox; they leave right after
    flash(ngettext("%(num)d reminder sent.", "%(num)d reminders sent.", len(sent)), "success")
    left = len(confirmed) - len(sent)
    if left:
        flash(
            ngettext(
                "%(num)d reviewer of the list was not written to: reminded meanwhile, or nothing "
                "pending any more.",
                "%(num)d reviewers of the list were not written to: reminded meanwhile, or nothing "
                "pending any more.",
                left,
            ),
            "warning",
        )
    return _back(committee)
