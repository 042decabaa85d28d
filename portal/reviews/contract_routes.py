"""After publication: a funded proposal gives its contract back, the waiting list is offered it."""

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.extensions import db
from portal.labels import label
from portal.reviews import bp
from portal.reviews.committee_admin import committee_proposal
from portal.reviews.decision_forms import ReleaseForm
from portal.reviews.models import Committee, ContractRelease, Decision
from portal.reviews.permissions import managed_committee
from portal.reviews.waiting_list import (
    NoContractFree,
    NotPublished,
    WaitingListEmpty,
    offer_next,
    release_contract,
)


def _back(committee: Committee):
    return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="contracts"))


def _offered(decision: Decision | None) -> None:
    if decision is None:
        flash(_("No one is waiting: the contract stays free."), "info")
        return
    flash(
        _(
            "#%(id)d (waiting list %(rank)d) is offered the contract; its director is told by e-mail.",
            id=decision.proposal_id,
            rank=decision.waiting_rank or 0,
        ),
        "success",
    )


@bp.route("/committees/<int:committee_id>/decisions/release", methods=["POST"])
@login_required
def release(committee_id: int):
    """Record that a funded proposal's contract is declined or withdrawn, and offer it to the next."""
    committee = managed_committee(committee_id)
    form = ReleaseForm()
    proposal = committee_proposal(committee, form.proposal.data)
    if proposal is None:
        abort(404)
    decision = db.session.scalar(select(Decision).where(Decision.proposal_id == proposal.id))
    if decision is None or not form.validate_on_submit():
        flash(_("Choose whether the contract was declined or the proposal withdrawn."), "error")
        return _back(committee)
    kind = ContractRelease(form.release.data)
    try:
        offered = release_contract(committee=committee, decision=decision, release=kind, by=current_user)
    except NotPublished:
        db.session.rollback()
        flash(_("Before publication, change the decision in the table instead."), "error")
        return _back(committee)
    except NoContractFree:
        db.session.rollback()
        flash(_("#%(id)d holds no contract.", id=proposal.id), "error")
        return _back(committee)
    db.session.commit()
    flash(_("#%(id)d: %(what)s.", id=proposal.id, what=label(kind)), "success")
    _offered(offered)
    return _back(committee)


@bp.route("/committees/<int:committee_id>/decisions/offer", methods=["POST"])
@login_required
def offer(committee_id: int):
    """Offer a free contract to the first on the waiting list."""
    committee = managed_committee(committee_id)
    try:
        offered = offer_next(committee=committee, by=current_user)
    except NotPublished:
        db.session.rollback()
        flash(_("Before publication, change the decisions in the table instead."), "error")
        return _back(committee)
    except NoContractFree:
        db.session.rollback()
        flash(_("Every contract is held: there is none to offer."), "info")
        return _back(committee)
    except WaitingListEmpty:
        db.session.rollback()
        offered = None
    else:
        db.session.commit()
    _offered(offered)
    return _back(committee)
