"""Data for the staff journeys: one open call, named directors, and staff who sign in with a code.

Built with tests/factories.py inside `steps.data(live)`; every helper commits, like the factories.
"""

from dataclasses import dataclass

from portal.auth import totp
from portal.auth.models import Role, User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.services import submit
from portal.reference.models import Campaign, DoctoralSchool, Initiative
from tests import factories

YEAR = 2026
PROGRAMME_MAILBOX = "prd-programme@example.org"


@dataclass
class Staff:
    email: str
    secret: str


def open_call(*acronyms: str) -> Campaign:
    """AAP 2026, open for ten more days, for these initiatives."""
    # The factories commit, which expires the campaign's collection: make the initiatives first.
    initiatives = [factories.initiative(acronym, name=f"Institute {acronym}") for acronym in acronyms]
    campaign = factories.campaign(YEAR, name=f"AAP {YEAR}", contact_email=PROGRAMME_MAILBOX)
    campaign.initiatives.extend(initiatives)
    db.session.commit()
    return campaign


def school(number: str, acronym: str) -> DoctoralSchool:
    # Each school its own mailbox, so that a message to the wrong school shows.
    return factories.doctoral_school(number, acronym=acronym, contact_email=f"{acronym.lower()}@example.org")


def initiative(campaign: Campaign, acronym: str) -> Initiative:
    return next(item for item in campaign.initiatives if item.acronym == acronym)


def director(email: str, first: str, last: str, home: DoctoralSchool) -> User:
    return factories.user(email, first_name=first, last_name=last, hdr=True, doctoral_school=home)


def draft(campaign: Campaign, acronym: str, owner: User, title: str, **changes) -> Proposal:
    """A complete draft by `owner`, to initiative `acronym`, in the owner's doctoral school."""
    content = factories.complete_content(
        initiative=initiative(campaign, acronym), school=owner.doctoral_school, email=owner.email
    )
    content["title"] = title
    content["director"] |= {"first_name": owner.first_name, "last_name": owner.last_name}
    content |= changes
    return factories.proposal(owner, campaign_row=campaign, content=content)


def submitted(campaign: Campaign, acronym: str, owner: User, title: str, **changes) -> Proposal:
    row = draft(campaign, acronym, owner, title, **changes)
    # Through the service, not the route: no PDF is rendered or stored, as after a template change.
    submit(proposal=row, content=None, base_version=row.version, author=owner)
    db.session.commit()
    return row


def staff(email: str, role: Role, scope, first: str, last: str) -> Staff:
    """A member of staff with two-factor sign-in, which the portal requires of staff."""
    user = factories.user(email, role, scope=scope, two_factor=True, first_name=first, last_name=last)
    return Staff(email=email, secret=totp.secret_of(user))
