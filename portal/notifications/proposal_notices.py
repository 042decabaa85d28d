"""Notices of what happens to a proposal after its submission: reopened, withdrawn, extended.

They are queued by the services that make the change, so they share its transaction: a refused or
rolled-back change sends nothing.
"""

from datetime import datetime

from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal
from portal.proposals.receipts import reference
from portal.proposals.rules import find_school


def supervisors(proposal: Proposal) -> list[tuple[str, str | None]]:
    """(address, language) of the director and of the co-supervisor named in the current content."""
    recipients = [(proposal.owner.email, proposal.owner.locale)]
    address = ((proposal.content or {}).get("co_supervisor") or {}).get("email") or ""
    if address and address.casefold() != proposal.owner.email.casefold():
        # A co-supervisor with an account reads their own language; others the director's.
        account = db.session.scalar(select(User).where(func.lower(User.email) == address.casefold()))
        recipients.append((address, account.locale if account and account.locale else proposal.owner.locale))
    return recipients


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


def transmission_addresses(proposal: Proposal) -> list[str]:
    """Where the PDF of the last submitted version went (receipts.send_to_school_and_programme).

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


def notify_extended(proposal: Proposal, *, by: User) -> None:
    """The new deadline of this proposal, in Paris time."""
    _to_supervisors(proposal, "proposal_extended", by=by, deadline=proposal.deadline)
