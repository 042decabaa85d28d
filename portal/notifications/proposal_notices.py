"""Notices of what happens to a proposal after its submission: reopened, withdrawn, extended.

They are queued by the services that make the change, so they share its transaction: a refused or
rolled-back change sends nothing.
"""

from datetime import datetime

from portal.auth.models import User
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal
from portal.proposals.receipts import reference, supervisors, transmission_addresses


def _to_supervisors(proposal: Proposal, template: str, **context) -> None:
    url = external_url("proposals.view", proposal_id=proposal.id)
    for address, locale in supervisors(proposal):
        send_template(
            to=address,
            template=template,
            locale=locale,
            proposal=proposal,
            reference=reference(proposal),
            url=url,
            **context,
        )


def notify_reopened(proposal: Proposal, *, by: User, at: datetime) -> None:
    """The proposal is a draft again: it reaches the committee only if submitted again in time."""
    _to_supervisors(proposal, "proposal_reopened", by=by, at=at)


def notify_withdrawn(proposal: Proposal, *, by: User, at: datetime) -> None:
    """Tell the supervisors, and the school and programme that were sent the PDF, if any was."""
    _to_supervisors(proposal, "proposal_withdrawn", by=by, at=at)
    revision = proposal.submitted_revision
    if revision is None:
        return  # never submitted: no PDF went out, nobody else to tell
    send_template(
        to=", ".join(transmission_addresses(proposal)),
        template="proposal_withdrawn_transmitted",
        locale="fr",
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        by=by,
        at=at,
    )


def notify_extended(proposal: Proposal, *, by: User) -> None:
    """The new deadline of this proposal, in Paris time."""
    _to_supervisors(proposal, "proposal_extended", by=by, deadline=proposal.deadline)
