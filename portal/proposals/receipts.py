"""The submission receipt (on the page after submitting, by e-mail to the supervisors), the PDF
sent to the school and the programme, and who those people are for a given proposal."""

import logging

from flask import url_for
from sqlalchemy import func, select

from portal.auth.models import User
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal
from portal.proposals.printing import official_pdf
from portal.proposals.rules import find_school

log = logging.getLogger(__name__)


def reference(proposal: Proposal) -> str:
    """The reference quoted in receipts and by staff: PRD-2027-0042."""
    return f"PRD-{proposal.campaign.year}-{proposal.id:04d}"


def supervisors(proposal: Proposal) -> list[tuple[str, str | None]]:
    """(address, language) of the director and of the co-supervisor named in the current content."""
    recipients = [(proposal.owner.email, proposal.owner.locale)]
    address = ((proposal.content or {}).get("co_supervisor") or {}).get("email") or ""
    if address and address.casefold() != proposal.owner.email.casefold():
        # A co-supervisor with an account reads their own language; others the director's.
        account = db.session.scalar(select(User).where(func.lower(User.email) == address.casefold()))
        recipients.append((address, account.locale if account and account.locale else proposal.owner.locale))
    return recipients


def transmission_addresses(proposal: Proposal) -> list[str]:
    """Where the PDF of the last submitted version goes (send_to_school_and_programme) or went.

    The school is read from that version, not from the draft: the director may have changed it
    since reopening, and the school to tell is the one that holds the PDF.
    """
    addresses = [proposal.campaign.contact_email]
    content = proposal.submitted_revision.content
    school = find_school((content.get("director") or {}).get("doctoral_school") or "")
    school = school or proposal.director_school
    if school is not None and school.contact_email not in addresses:
        addresses.insert(0, school.contact_email)
    return addresses


def send_receipt(proposal: Proposal) -> None:
    """E-mail the receipt of the version just submitted to the director and the co-supervisor."""
    url = url_for("proposals.receipt", proposal_id=proposal.id, _external=True)
    for address, locale in supervisors(proposal):
        send_template(
            to=address,
            template="proposal_submitted",
            locale=locale,
            proposal=proposal,
            revision=proposal.submitted_revision,
            reference=reference(proposal),
            url=url,
        )


def send_to_school_and_programme(proposal: Proposal) -> None:
    """The named PDF to the director's doctoral school and the programme, as the old process did."""
    revision = proposal.submitted_revision
    try:
        filename, data = official_pdf(proposal, revision.content, store=True)
        attachments = [(filename, "application/pdf", data)]
    except DocumentError:
        # The school and the programme must still hear of the submission: the message says where
        # to download the PDF, which the portal renders again on demand.
        log.exception("proposal %s: no PDF for the school and the programme", proposal.id)
        filename, attachments = "", []
    send_template(
        to=", ".join(transmission_addresses(proposal)),
        template="proposal_transmitted",
        locale="fr",
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        filename=filename,
        url=external_url("proposals.view", proposal_id=proposal.id),
        attachments=attachments,
    )
