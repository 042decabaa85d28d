"""The submission receipt (on the page after submitting, by e-mail to the supervisors), the PDF
sent to the school and the programme, and who those people are for a given proposal."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.names import spoken_name
from portal.navigation import external_url
from portal.notifications.mail import LaterAttachment, send_template
from portal.proposals.models import Proposal, ProposalEditor
from portal.proposals.official_pdf import OFFICIAL_PDF
from portal.proposals.permissions import can_edit, is_owner
from portal.proposals.printing import pdf_filename
from portal.proposals.rules import find_school


def reference(proposal: Proposal) -> str:
    """The reference quoted in receipts and by staff: PRD-2027-0042."""
    return f"PRD-{proposal.campaign.year}-{proposal.id:04d}"


@dataclass(frozen=True)
class CoSupervisor:
    """The co-supervisor named in a proposal, and whether the portal writes to them.

    The address is typed by the director: mail goes to it only when its owner showed it is theirs,
    by confirming an account with it or by accepting, from it, the invitation to co-edit this
    proposal. Otherwise anyone's address could be sent the director's title and deadlines.
    """

    address: str
    locale: str | None
    why_not: str | None  # None when told; "no_account" or "unconfirmed"

    @property
    def told(self) -> bool:
        return self.why_not is None

    def not_told_text(self) -> str:
        """For the director, in the current language: that the co-supervisor was not told, and why."""
        if self.why_not == "unconfirmed":
            reason = _("the portal account with this address has not confirmed it yet")
        else:
            reason = _("no account of the portal has this address")
        return _(
            "The co-supervisor (%(address)s) was not sent this receipt, nor will they be sent the "
            "notices of this proposal: %(reason)s, and no invitation to co-edit the proposal was "
            "accepted from it. The portal writes only to addresses confirmed by their owner: invite "
            "them to co-edit the proposal, or forward them this receipt.",
            address=self.address,
            reason=reason,
        )


def co_supervisor(proposal: Proposal, content: dict | None = None) -> CoSupervisor | None:
    """The co-supervisor of `content` (the current content by default); None when there is none."""
    content = proposal.content if content is None else content
    address = (((content or {}).get("co_supervisor") or {}).get("email") or "").strip()
    if not address or address.casefold() == proposal.owner.email.casefold():
        return None
    account = db.session.scalar(select(User).where(func.lower(User.email) == address.casefold()))
    accepted = db.session.scalar(
        select(ProposalEditor.id).where(
            ProposalEditor.proposal_id == proposal.id,
            func.lower(ProposalEditor.email) == address.casefold(),
            ProposalEditor.accepted_at.is_not(None),
        )
    )
    if accepted is not None or (account is not None and account.email_confirmed_at is not None):
        why_not = None
    else:
        why_not = "unconfirmed" if account is not None else "no_account"
    # One with an account reads their own language; others the director's.
    locale = account.locale if account is not None and account.locale else proposal.owner.locale
    return CoSupervisor(address=address, locale=locale, why_not=why_not)


def receipt_reader(proposal: Proposal, user: User, content: dict) -> str:
    """Whom the receipt page of `content` (the submitted version) speaks to: "director", who alone
    may reopen, withdraw and invite (permissions.owned_proposal); "co_supervisor", a co-editor named
    as the co-supervisor of that version; "co_editor", another co-editor; or "reader" (staff,
    reviewers), who are told what happened and offered nothing to do."""
    if is_owner(user, proposal):
        return "director"
    if not can_edit(user, proposal):
        return "reader"
    named = (((content or {}).get("co_supervisor") or {}).get("email") or "").strip().casefold()
    addresses = {user.email.casefold()} | {
        editor.email.casefold() for editor in proposal.editors if editor.user_id == user.id
    }
    return "co_supervisor" if named and named in addresses else "co_editor"


def supervisors(proposal: Proposal) -> list[tuple[str, str | None]]:
    """(address, language) of everyone told of what happens to the proposal: the director, and the
    co-supervisor of the current content when the portal writes to them (CoSupervisor)."""
    recipients = [(proposal.owner.email, proposal.owner.locale)]
    co = co_supervisor(proposal)
    if co is not None and co.told:
        recipients.append((co.address, co.locale))
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
    """E-mail the receipt of the version just submitted to the director and the co-supervisor.

    The director's copy says so when the co-supervisor is not sent one.
    """
    # Imported here: the review domain builds on proposals, not the other way round.
    from portal.reviews.applicant import director_status

    url = external_url("proposals.receipt", proposal_id=proposal.id)
    co = co_supervisor(proposal)
    revision = proposal.submitted_revision
    common = {"proposal": proposal, "revision": revision, "reference": reference(proposal)}
    send_template(
        to=proposal.owner.email,
        template="proposal_submitted",
        locale=proposal.owner.locale,
        url=url,
        untold=co if co is not None and not co.told else None,
        # What the director may still do, in the words of the receipt page.
        status=director_status(proposal),
        **common,
    )
    if co is not None and co.told:
        # Their own greeting, and no reopen or withdraw: only the director may.
        person = revision.content.get("co_supervisor") or {}
        send_template(
            to=co.address,
            template="proposal_submitted_copy",
            locale=co.locale,
            recipient=spoken_name(person) or co.address,
            director=spoken_name(revision.content.get("director") or {}),
            **common,
        )


def send_to_school_and_programme(proposal: Proposal) -> None:
    """The named PDF to the director's doctoral school and the programme, as the old process did.

    The PDF is made when the message is sent, by its task on the submission queue, not in the
    submission's transaction (official_pdf.py); if it cannot be made, the message still goes and
    says where to download it.
    """
    revision = proposal.submitted_revision
    send_template(
        to=", ".join(transmission_addresses(proposal)),
        template="proposal_transmitted",
        locale="fr",
        proposal=proposal,
        revision=revision,
        reference=reference(proposal),
        url=external_url("proposals.view", proposal_id=proposal.id),
        later=LaterAttachment(
            kind=OFFICIAL_PDF, key=revision.id, filename=pdf_filename(proposal, revision.content)
        ),
    )
