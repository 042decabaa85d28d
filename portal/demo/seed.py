"""Build the demo: idempotent, so running it twice changes nothing."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from portal.auth import services
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.db import utcnow
from portal.demo.review_progress import seed_review_progress
from portal.demo.reviews import seed_current_committee, seed_reviews
from portal.extensions import db
from portal.reference.loader import load_data
from portal.reference.models import (
    Campaign,
    CampaignState,
    DoctoralSchool,
    Initiative,
    ResearchUnit,
)
from portal.timezones import PARIS, paris_to_utc

DEMO_PASSWORD = "demo-password"  # noqa: S105 (published on purpose: demo accounts only)
PROGRAMME_EMAIL = "cd-instituts-initiatives@demo.test"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    title: str
    roles: tuple[tuple[Role, str | None], ...]  # role, and the acronym or number it covers
    hdr: bool = False
    unit: str | None = None
    school: str | None = None
    # Lets directors fill the co-supervisor block from this address (the profile's checkbox).
    findable: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("admin@demo.test", "Alice", "Martin", "Programme administrator", ((Role.admin, None),)),
    DemoAccount(
        "director@demo.test",
        "Sylvie",
        "Lambert",
        "Maîtresse de conférences HDR",
        ((Role.supervisor, None),),
        hdr=True,
        unit="UMR7606",
        school="ED130",
    ),
    DemoAccount(
        "codirector@demo.test",
        "Étienne",
        "Ménard",
        "Chargé de recherche CNRS",
        ((Role.supervisor, None),),
        unit="UMR7606",
        school="ED130",
        findable=True,
    ),
    DemoAccount(
        "reviewer@demo.test",
        "Rachid",
        "Benali",
        "Professeur des universités",
        ((Role.supervisor, None), (Role.reviewer, None)),
        hdr=True,
        unit="UMR8001",
        school="ED386",
    ),
    DemoAccount(
        "ed-staff@demo.test", "Claire", "Dubois", "Gestionnaire EDITE", ((Role.school_staff, "ED130"),)
    ),
    DemoAccount(
        "programme@demo.test",
        "Paul",
        "Girard",
        "Chargé de mission SCAI",
        ((Role.programme_staff, "SCAI"), (Role.programme_staff, "ISCD")),
    ),
)


def next_deadline(now: datetime) -> datetime:
    """The next 20 February, 23:59 in Paris, strictly after `now`."""
    paris_now = now.astimezone(PARIS)
    deadline = datetime(paris_now.year, 2, 20, 23, 59, tzinfo=PARIS)
    if deadline <= paris_now:
        deadline = deadline.replace(year=paris_now.year + 1)
    return deadline


def _campaign(*, year: int, opens_at: datetime, closes_at: datetime) -> None:
    if db.session.scalar(select(Campaign).where(Campaign.year == year)) is not None:
        return
    campaign = Campaign(
        name=f"AAP {year}",
        year=year,
        opens_at=opens_at,
        closes_at=closes_at,
        page_limit=3,
        contact_email=PROGRAMME_EMAIL,
        state=CampaignState.published,
        # Every demo account writes from demo.test, as a university's people share its domain.
        ignored_mail_domains=["demo.test"],
        description=(
            "Appel à projets doctoraux du programme Instituts et Initiatives. "
            "Call for doctoral research projects of the Institutes and Initiatives programme."
        ),
    )
    campaign.initiatives = list(db.session.scalars(select(Initiative)))
    db.session.add(campaign)


def _scope(role: Role, key: str | None):
    if role is Role.school_staff:
        return db.session.scalar(select(DoctoralSchool).where(DoctoralSchool.number == key))
    if role is Role.programme_staff:
        return db.session.scalar(select(Initiative).where(Initiative.acronym == key))
    return None


def _account(account: DemoAccount) -> User:
    user = services.find_user(account.email)
    if user is None:
        user = User(
            email=account.email,
            password_hash=hash_password(DEMO_PASSWORD),
            first_name=account.first_name,
            last_name=account.last_name,
            title=account.title,
            hdr=account.hdr,
            email_confirmed_at=utcnow(),
            address="4 place Jussieu, 75005 Paris",
            findable_as_co_supervisor=account.findable,
        )
        if account.unit:
            user.research_unit = db.session.scalar(
                select(ResearchUnit).where(ResearchUnit.code == account.unit)
            )
        if account.school:
            user.doctoral_school = db.session.scalar(
                select(DoctoralSchool).where(DoctoralSchool.number == account.school)
            )
        db.session.add(user)
    for role, key in account.roles:
        services.grant_role(user=user, role=role, scope=_scope(role, key))
    return user


def seed_demo(now: datetime | None = None) -> list[User]:
    """Create what is missing of the demo; existing rows are left as they are."""
    now = now or utcnow()
    reference = json.loads((Path(__file__).parent / "reference.json").read_text(encoding="utf-8"))
    load_data(reference)
    _campaign(
        year=2021,
        opens_at=paris_to_utc(datetime(2020, 12, 1, 9, 0)),
        closes_at=paris_to_utc(datetime(2021, 2, 20, 23, 59)),
    )
    deadline = next_deadline(now)
    opens_at = paris_to_utc(datetime(deadline.year - 1, 12, 1, 9, 0))
    if opens_at > now:
        # The demo must accept proposals today: open it yesterday morning instead.
        yesterday = (now - timedelta(days=1)).astimezone(PARIS)
        opens_at = paris_to_utc(datetime(yesterday.year, yesterday.month, yesterday.day, 9, 0))
    _campaign(year=deadline.year, opens_at=opens_at, closes_at=deadline)
    users = [_account(account) for account in DEMO_ACCOUNTS]
    db.session.flush()
    _proposals(year=deadline.year)
    seed_reviews(DEMO_PASSWORD)
    seed_review_progress(DEMO_PASSWORD, now)
    seed_current_committee(deadline.year)
    return users


def _proposals(*, year: int) -> None:
    """Two proposals of the demo director in the open call: one submitted and co-edited, one draft."""
    from portal.proposals.interchange import import_document
    from portal.proposals.models import Proposal, ProposalEditor

    director = services.find_user("director@demo.test")
    if db.session.scalar(select(Proposal).where(Proposal.owner_id == director.id)) is not None:
        return
    folder = Path(__file__).parent / "proposals"
    for name, submit in (("wasserstein-gans.json", True), ("sensor-networks.json", False)):
        document = json.loads((folder / name).read_text(encoding="utf-8"))
        document["campaign"]["year"] = year
        proposal = import_document(document, submit=submit)
        if document["co_supervisor"]:
            co_editor = services.find_user(document["co_supervisor"]["email"])
            proposal.editors.append(
                ProposalEditor(
                    email=co_editor.email, user=co_editor, accepted_at=utcnow(), invited_by_id=director.id
                )
            )
    db.session.flush()
