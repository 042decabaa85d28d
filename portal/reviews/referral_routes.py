"""The committee's referrals: proposals it passed to another initiative, and those passed to it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.reviews import bp
from portal.reviews.committee_admin import committee_proposal
from portal.reviews.decision_forms import ReferralForm, ReferralOutcomeForm
from portal.reviews.models import Committee, Referral, ReferralOutcome
from portal.reviews.permissions import managed_committee
from portal.reviews.referrals import (
    ReferralRefused,
    record_outcome,
    refer,
    referable_initiatives,
    referrals_from,
    referrals_to,
    referred_to_member,
)
from portal.reviews.services import committee_proposals
from portal.security import form_view

# The reviewer's page lists the proposals referred to their committees (templates/reviews/reviewer).
bp.add_app_template_global(referred_to_member, "referred_to_member")


def _referral_form(committee: Committee, **kwargs) -> ReferralForm:
    form = ReferralForm(**kwargs)
    form.proposal.choices = [
        (proposal.id, f"#{proposal.id} {proposal.title}") for proposal in committee_proposals(committee)
    ]
    form.initiative.choices = [(i.id, f"{i.acronym} – {i.name}") for i in referable_initiatives(committee)]
    return form


def _page(committee: Committee, form: ReferralForm, outcome_forms: dict | None = None):
    received = referrals_to(committee)
    outcome_forms = outcome_forms or {}
    forms = {r.id: outcome_forms.get(r.id) or ReferralOutcomeForm.for_referral(r.id) for r in received}
    proposals = committee_proposals(committee)
    return render_template(
        "reviews/staff/referrals.html",
        committee=committee,
        form=form,
        # The director's answer to the form's question, for the proposals whose director said yes.
        interested=[
            p for p in proposals if ((p.content or {}).get("other_initiative_interest") or {}).get("answer")
        ],
        sent=referrals_from(committee),
        received=received,
        outcome_forms=forms,
    )


@bp.route("/committees/<int:committee_id>/referrals", methods=["GET", "POST"])
@login_required
@form_view
def referrals(committee_id: int):
    committee = managed_committee(committee_id)
    form = _referral_form(committee)
    if not form.is_submitted():
        return _page(committee, form)
    if not form.validate():
        return _page(committee, form), 400
    proposal = committee_proposal(committee, form.proposal.data)
    initiative = next(i for i in referable_initiatives(committee) if i.id == form.initiative.data)
    try:
        refer(
            committee=committee,
            proposal=proposal,
            initiative=initiative,
            comment=form.comment.data,
            by=current_user,
        )
    except ReferralRefused:
        db.session.rollback()
        form.initiative.errors = [
            _("This proposal is referred to %(acronym)s already.", acronym=initiative.acronym)
        ]
        return _page(committee, form), 400
    db.session.commit()
    flash(
        _(
            "#%(id)d is referred to %(acronym)s: its staff and committee can read it, "
            "and the director is told.",
            id=proposal.id,
            acronym=initiative.acronym,
        ),
        "success",
    )
    return redirect(url_for("reviews.referrals", committee_id=committee.id))


def _received_referral(referral_id: int) -> tuple[Referral, Committee]:
    """The referral and the committee it was made to; 403 unless the user is staff of that initiative
    (or an administrator), 404 until its committee is set up (its page is where the answer is given)."""
    referral = db.session.get(Referral, referral_id)
    if referral is None:
        abort(404)
    if not (current_user.is_admin or referral.initiative_id in current_user.staff_initiative_ids()):
        abort(403)
    proposal = referral.proposal
    committee = db.session.scalar(
        select(Committee).where(
            Committee.campaign_id == proposal.campaign_id, Committee.initiative_id == referral.initiative_id
        )
    )
    if committee is None:
        abort(404)
    return referral, committee


@bp.route("/referrals/<int:referral_id>/outcome", methods=["POST"])
@login_required
@form_view
def referral_outcome(referral_id: int):
    referral, committee = _received_referral(referral_id)
    form = ReferralOutcomeForm.for_referral(referral.id)
    if not form.validate_on_submit():
        return _page(committee, _referral_form(committee), {referral.id: form}), 400
    record_outcome(
        referral=referral,
        outcome=ReferralOutcome(form.outcome.data),
        comment=form.comment.data or "",
        by=current_user,
    )
    db.session.commit()
    flash(_("Your answer on #%(id)d is recorded.", id=referral.proposal_id), "success")
    return redirect(
        url_for("reviews.referrals", committee_id=committee.id, _anchor=f"referral-{referral.id}")
    )
