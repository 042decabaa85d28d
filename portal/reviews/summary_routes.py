"""The committee's anonymity setting, and the chair's summary page of a proposal."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Length

from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.documents.short_markdown import render_short
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews import bp
from portal.reviews.anonymity import reviewer_names, set_privacy
from portal.reviews.models import ChairSummary, Committee
from portal.reviews.permissions import committee_page, managed_committee, manages
from portal.reviews.reviewer_forms import CONFIDENCE_LABELS, language
from portal.reviews.reviewer_lists import other_reviews
from portal.reviews.summaries import (
    SUMMARY_MAX_CHARS,
    SummaryClosed,
    can_read_summary,
    can_write_summary,
    chair_waits_for_own_review,
    save_summary,
    summary_of,
)
from portal.security import form_view


class PrivacyForm(FlaskForm):
    anonymous_reviewers = BooleanField(
        _l("Reviewers are anonymous to each other"),
        description=_l(
            "Reviewers read “Reviewer A”, “Reviewer B” in the reviews and the discussion, the same "
            "letter for the same person on a proposal. Programme staff and the chair still see the "
            "names. Directors never see them, whatever this says."
        ),
    )
    directors_see_comments = BooleanField(
        _l("Directors also read the reviewers' comments for them"),
        description=_l(
            "With the decision, after the chair's summary, each under its letter (“Reviewer A”). "
            "Unticked, directors read the decision and the summary only."
        ),
    )
    submit = SubmitField(_l("Save"))


class SummaryForm(FlaskForm):
    body = TextAreaField(
        _l("Summary for the director"),
        validators=[
            Length(
                max=SUMMARY_MAX_CHARS,
                message=_l("At most %(max)d characters: shorten the summary.", max=SUMMARY_MAX_CHARS),
            )
        ],
        # No maxlength: the browser would cut a pasted text without a word; the message says it.
        render_kw={"rows": 10},
        description=_l(
            "Markdown: **bold**, *italics*, lists, links. At most %(max)d characters. The director "
            "reads it with the decision, by e-mail and on the proposal page. Refer to reviewers by "
            "their letters, never by name. Empty the box to remove the summary.",
            max=SUMMARY_MAX_CHARS,
        ),
    )
    submit = SubmitField(_l("Save the summary"))


bp.add_app_template_global(lambda committee: PrivacyForm(formdata=None, obj=committee), "privacy_form")
bp.add_app_template_filter(render_short, "short_markdown")


@dataclass(frozen=True)
class SummaryCard:
    """The summary as the discussion page shows it to one reader."""

    summary: ChairSummary | None
    writable: bool


@bp.app_template_global("chair_summary_card")
def chair_summary_card(proposal: Proposal, committee: Committee) -> SummaryCard | None:
    """None when the reader may not read it, or when there is nothing to read and nothing to do."""
    if not can_read_summary(current_user, proposal, committee):
        return None
    saved = summary_of(proposal)
    writable = (
        can_write_summary(current_user, proposal, committee) and committee.decisions_published_at is None
    )
    return SummaryCard(saved, writable) if saved is not None or writable else None


@bp.route("/committees/<int:committee_id>/privacy", methods=["POST"], endpoint="committee_privacy")
@login_required
def committee_privacy(committee_id: int):
    committee = managed_committee(committee_id)
    form = PrivacyForm()
    if not form.validate_on_submit():
        flash(_("The settings were not saved: send the form again."), "error")
    else:
        set_privacy(
            committee=committee,
            anonymous=form.anonymous_reviewers.data,
            directors_see_comments=form.directors_see_comments.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("Settings saved."), "success")
    return redirect(url_for("reviews.committee", committee_id=committee.id, _anchor="privacy"))


@bp.route("/proposals/<int:proposal_id>/summary", methods=["GET", "POST"], endpoint="summary")
@login_required
@form_view
def summary(proposal_id: int):
    proposal, committee = committee_page(proposal_id)
    if not can_read_summary(current_user, proposal, committee):
        abort(404)
    writer = can_write_summary(current_user, proposal, committee)
    waiting = writer and chair_waits_for_own_review(current_user, proposal, committee)
    if request.method == "POST" and (not writer or waiting):
        abort(403)
    saved = summary_of(proposal)
    form = SummaryForm(data={"body": saved.body if saved else ""}) if writer and not waiting else None
    refused = False
    if form is not None and form.validate_on_submit():
        try:
            save_summary(proposal=proposal, committee=committee, body=form.body.data or "", by=current_user)
        except SummaryClosed:
            db.session.rollback()
            refused = True
        else:
            db.session.commit()
            flash(_("The summary is saved."), "success")
            return redirect(url_for("reviews.summary", proposal_id=proposal.id))
    names = reviewer_names(current_user, proposal, committee)
    reviews = other_reviews(proposal, current_user)[0] if writer and not waiting else []
    # In the order of the letters, as the director reads the comments.
    reviews.sort(key=lambda review: names.rank(review.reviewer_id))
    return render_template(
        "reviews/summary.html",
        proposal=proposal,
        committee=committee,
        summary=saved,
        form=form,
        writer=writer,
        waiting=waiting,
        is_open=committee.decisions_published_at is None,
        refused=refused,
        reviews=reviews,
        names=names,
        language=language(),
        confidence_labels=CONFIDENCE_LABELS,
        opinion=opinions_of([proposal.id]).get(proposal.id),
        opinion_labels=OPINIONS,
        show_opinion_author=manages(current_user, committee),
    ), (409 if refused else 400 if form is not None and form.errors else 200)
