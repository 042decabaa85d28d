"""The "Fill from their profile" button of the co-supervisor block.

Without JavaScript the whole form is posted here and comes back with everything typed, the block
filled when an account shares its details, and a message beside the address; the form's script
posts the same fields and gets the same answer as JSON. Both are limited per account and recorded.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required
from wtforms import EmailField, Form
from wtforms.validators import Email, InputRequired, Length

from portal.extensions import db, limiter
from portal.proposals import bp
from portal.proposals.co_supervisor import look_up_co_supervisor, profile_fields
from portal.proposals.editing import EditPage
from portal.proposals.forms import ProposalForm
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.permissions import editable_proposal
from portal.reference.unit_form import unit_form_data
from portal.security import form_view

log = logging.getLogger(__name__)
PREFIX = "co_supervisor"


class _AddressForm(Form):
    """The one field the look-up reads, under its name in the proposal form (co_supervisor-email)."""

    email = EmailField(
        filters=[lambda value: (value or "").strip()], validators=[InputRequired(), Email(), Length(max=254)]
    )


@dataclass(frozen=True)
class Answer:
    kind: str  # found, unknown (also for an address whose owner shares nothing), invalid, limited
    message: str
    person: dict[str, Any] = field(default_factory=dict)
    status_code: int = 200

    def as_json(self) -> dict[str, Any]:
        """The fields to fill, by their names in the form."""
        fields = {}
        for key, value in self.person.items():
            if key == "unit":  # as the component shows it: chosen in the list, or typed
                value = unit_form_data(value)
            if isinstance(value, dict):
                fields.update({f"{PREFIX}-{key}-{part}": text for part, text in value.items()})
            else:
                fields[f"{PREFIX}-{key}"] = value
        return {"status": self.kind, "message": self.message, "fields": fields}


def _limit() -> str:
    return current_app.config["CO_SUPERVISOR_LOOKUP_RATE_LIMIT"]


def _per_account() -> str:
    return f"co-supervisor-lookup:{current_user.id}"


def _look_up(proposal: Proposal) -> Answer:
    typed = _AddressForm(request.form, prefix=f"{PREFIX}-")
    if not typed.validate():
        return Answer(
            "invalid",
            _("Type the co-supervisor's full e-mail address, then press the button again."),
            {},
            400,
        )
    try:
        # Counted only here: a mistyped address or another page does not use the allowance.
        with limiter.limit(_limit, key_func=_per_account):
            account = look_up_co_supervisor(proposal=proposal, email=typed.email.data, reader=current_user)
    except RateLimitExceeded:
        log.warning("co-supervisor look-ups of user %s: limit reached", current_user.id)
        return Answer(
            "limited",
            _("Too many look-ups in a short time: wait a few minutes, or type the details."),
            {},
            429,
        )
    db.session.commit()
    if account is None:
        return Answer(
            "unknown",
            _(
                "No profile is shared at this address: type the co-supervisor's details. A colleague "
                "with an account can allow it in their profile."
            ),
        )
    return Answer(
        "found",
        _("Filled in from the profile of %(name)s: check the details.", name=account.display_name),
        profile_fields(account),
    )


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/<int:proposal_id>/co-supervisor", methods=["POST"])
@login_required
@form_view
def find_co_supervisor(proposal_id: int):
    proposal = editable_proposal(proposal_id)
    as_json = _wants_json()
    if proposal.state is not ProposalState.draft:
        if as_json:
            return jsonify(status="locked", message=_("This proposal is no longer a draft.")), 409
        flash(_("This proposal is not a draft: reopen it to change it."), "info")
        return redirect(url_for("proposals.view", proposal_id=proposal.id))
    page = EditPage(proposal, ProposalForm(campaign=proposal.campaign))
    # The script posts the whole form too: both answers pass the same checks, CSRF included.
    if not page.form.validate_on_submit():
        if as_json:
            return jsonify(status="refused", message=_("The look-up was refused: reload the page.")), 400
        return page.render(), 400
    answer = _look_up(proposal)
    if as_json:
        return jsonify(answer.as_json()), answer.status_code
    filled = page.with_co_supervisor(answer.person, kind=answer.kind, message=answer.message)
    return filled.render(), answer.status_code
