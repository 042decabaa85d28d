"""The submission receipt: on the page after submitting, and by e-mail to the director."""

from flask import url_for

from portal.notifications.mail import send_template
from portal.proposals.models import Proposal


def reference(proposal: Proposal) -> str:
    """The reference quoted in receipts and by staff: PRD-2027-0042."""
    return f"PRD-{proposal.campaign.year}-{proposal.id:04d}"


def send_receipt(proposal: Proposal) -> None:
    """E-mail the director the receipt of the version just submitted (sent after the commit)."""
    revision = proposal.submitted_revision
    send_template(
        to=proposal.owner.email,
        template="proposal_submitted",
        locale=proposal.owner.locale,
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        url=url_for("proposals.receipt", proposal_id=proposal.id, _external=True),
    )
