"""Programme staff choose what a call publishes and unpublish subjects; the director corrects
the public version of their subject."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.catalogue import bp, services
from portal.catalogue.forms import CorrectionForm, PolicyForm, UnpublishForm, keyword_list
from portal.catalogue.models import CallPublication, PublicationPolicy, PublicSubject
from portal.catalogue.permissions import (
    corrected_subject,
    managed_call,
    managed_subject,
    manages_call,
    manages_subject,
)
from portal.catalogue.visibility import visible_rows, visible_subject, visible_subjects
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign, CampaignState
from portal.security import form_view


def _call_page(campaign, *, policy_form=None, unpublish_forms=None, status=200):
    row = db.session.get(CallPublication, campaign.id)
    if policy_form is None:
        policy_form = PolicyForm(
            formdata=None, policy=(row.policy if row else PublicationPolicy.nothing).value
        )
    subjects = [
        subject
        for subject in db.session.scalars(
            select(PublicSubject)
            .join(Proposal)
            .where(Proposal.campaign_id == campaign.id)
            .order_by(PublicSubject.title)
        )
        if manages_subject(current_user, subject)
    ]
    shown = {
        row.subject.id: row
        for row in visible_rows(visible_subjects().where(Proposal.campaign_id == campaign.id))
    }
    forms = unpublish_forms or {}
    return (
        render_template(
            "catalogue/call.html",
            campaign=campaign,
            publication=row,
            policy_form=policy_form,
            subjects=subjects,
            shown=shown,
            unpublish_forms={s.id: forms.get(s.id) or UnpublishForm(formdata=None) for s in subjects},
        ),
        status,
    )


@bp.route("/calls/<int:campaign_id>", methods=["GET", "POST"])
@login_required
@form_view
def call_settings(campaign_id: int):
    campaign = managed_call(campaign_id)
    form = PolicyForm()
    if not form.is_submitted():
        return _call_page(campaign)
    if not form.validate():
        return _call_page(campaign, policy_form=form, status=400)
    services.set_policy(campaign=campaign, policy=PublicationPolicy(form.policy.data), by=current_user)
    db.session.commit()
    flash(_("Saved: what this call publishes."), "success")
    return redirect(url_for("catalogue.call_settings", campaign_id=campaign.id))


@bp.route("/subjects/<int:subject_id>/unpublish", methods=["POST"])
@login_required
@form_view
def unpublish(subject_id: int):
    subject = managed_subject(subject_id)
    form = UnpublishForm()
    campaign = subject.proposal.campaign
    if not form.validate_on_submit():
        return _call_page(campaign, unpublish_forms={subject.id: form}, status=400)
    services.unpublish(subject=subject, reason=form.reason.data.strip(), by=current_user)
    db.session.commit()
    flash(_("Unpublished: %(title)s.", title=subject.title), "success")
    return redirect(url_for("catalogue.call_settings", campaign_id=campaign.id))


@bp.route("/subjects/<int:subject_id>/republish", methods=["POST"])
@login_required
def republish(subject_id: int):
    subject = managed_subject(subject_id)
    services.republish(subject=subject, by=current_user)
    db.session.commit()
    flash(_("Published again: %(title)s.", title=subject.title), "success")
    return redirect(url_for("catalogue.call_settings", campaign_id=subject.proposal.campaign_id))


@bp.route("/subjects/<int:subject_id>/correct", methods=["GET", "POST"])
@login_required
@form_view
def correct(subject_id: int):
    subject = corrected_subject(subject_id)
    visible = visible_subject(subject.id)
    content = subject.content
    form = CorrectionForm(
        data={
            "title": subject.title,
            "keywords": ", ".join(content.get("keywords") or []),
            "description": content.get("description") or "",
            "contact_email": subject.contact_email,
            "position_filled": subject.position_filled,
        }
        if visible is not None
        else None
    )
    if form.is_submitted() and visible is None:
        abort(409)
    if visible is not None and form.validate_on_submit():
        revision = services.correct(
            subject=subject,
            title=" ".join(form.title.data.split()),
            keywords=keyword_list(form.keywords.data),
            description=form.description.data,
            contact_email=(form.contact_email.data or "").strip(),
            position_filled=form.position_filled.data,
            note=(form.note.data or "").strip(),
            by=current_user,
            published=True,
        )
        db.session.commit()
        flash(_("The public version is corrected.") if revision else _("No changes to save."), "success")
        return redirect(url_for("catalogue.correct", subject_id=subject.id))
    status = 400 if form.is_submitted() else 200
    return render_template("catalogue/correct.html", subject=subject, visible=visible, form=form), status


@bp.app_template_global()
def public_subject_of(proposal: Proposal) -> tuple[PublicSubject, bool] | None:
    """The proposal's public record and whether the public sees it now (for its director's page)."""
    subject = services.subject_of(proposal)
    if subject is None:
        return None
    return subject, visible_subject(subject.id) is not None


@bp.app_template_global()
def publication_calls() -> list:
    """The calls whose publication the signed-in member of staff manages (the committees' page)."""
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.state != CampaignState.draft).order_by(Campaign.year.desc())
    )
    return [campaign for campaign in campaigns if manages_call(current_user, campaign)]
