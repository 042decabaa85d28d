"""The submission receipt: on the page after submitting, and by e-mail to the director."""

import logging

from flask import url_for

from portal.documents.errors import DocumentError
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal
from portal.proposals.printing import official_pdf

log = logging.getLogger(__name__)


def reference(proposal: Proposal) -> str:
    """The reference quoted in receipts and by staff: PRD-2027-0042."""
    return f"PRD-{proposal.campaign.year}-{proposal.id:04d}"


def send_receipt(proposal: Proposal) -> None:
    """E-mail the receipt of the version just submitted to the director and the co-supervisor."""
    revision = proposal.submitted_revision
    recipients = [proposal.owner.email]
    co_supervisor = revision.content.get("co_supervisor") or {}
    if co_supervisor.get("email") and co_supervisor["email"].casefold() != proposal.owner.email.casefold():
        recipients.append(co_supervisor["email"])
    for recipient in recipients:
        send_template(
            to=recipient,
            template="proposal_submitted",
            locale=proposal.owner.locale,
            proposal=proposal,
            revision=revision,
            reference=reference(proposal),
            url=url_for("proposals.receipt", proposal_id=proposal.id, _external=True),
        )


def send_to_school_and_programme(proposal: Proposal) -> None:
    """The named PDF to the director's doctoral school and the programme, as the old process did."""
    revision = proposal.submitted_revision
    addresses = [proposal.campaign.contact_email]
    if proposal.director_school is not None:
        addresses.insert(0, proposal.director_school.contact_email)
    try:
        filename, data = official_pdf(proposal, revision.content, store=True)
        attachments = [(filename, "application/pdf", data)]
    except DocumentError:
        # The school and the programme must still hear of the submission: the message says where
        # to download the PDF, which the portal renders again on demand.
        log.exception("proposal %s: no PDF for the school and the programme", proposal.id)
        filename, attachments = "", []
    send_template(
        to=", ".join(addresses),
        template="proposal_transmitted",
        locale="fr",
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        filename=filename,
        url=external_url("proposals.view", proposal_id=proposal.id),
        attachments=attachments,
    )
