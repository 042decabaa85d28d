"""bench/rush.py's data, through the app's own services: directors with a draft of the example
proposal before the rush; after it, what the database stored and what the mail sink received."""

import copy
import json
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import func, select

from config import Config
from portal import create_app
from portal.auth.models import Role
from portal.db import utcnow
from portal.demo.seed import PROGRAMME_EMAIL
from portal.extensions import db
from portal.proposals.content import normalise
from portal.proposals.interchange import import_document
from portal.proposals.models import Proposal, ProposalRevision
from portal.reference.loader import load_data
from portal.reference.models import Campaign, CampaignState, Initiative
from tests import factories

# ../shared/examples beside the checkout (/work/main), or beside the worktrees' folder (/work/wt/<branch>).
EXAMPLES = [root / "shared" / "examples" for root in Path(__file__).resolve().parents[2:4]]
EXAMPLE = next((e for e in EXAMPLES if e.is_dir()), EXAMPLES[0]) / "prd-2021-memorization.json"
REFERENCE = Path(__file__).resolve().parent.parent / "portal" / "demo" / "reference.json"
PASSWORD = factories.PASSWORD


@dataclass
class Director:
    """One simulated director: the account, the draft, and what the bench sent last."""

    number: int
    email: str
    proposal_id: int
    reference: str
    last_text: str | None = None
    submitted: bool = False


def setup_app(database_url: str, secret: str, broker_url: str):
    """The app on the bench's database and broker, for set-up and checks (the web runs in gunicorn)."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": secret,
        "CELERY_BROKER_URL": broker_url,
    }
    return create_app(type("RushConfig", (Config,), settings))


def seed(app, count: int, example: Path = EXAMPLE) -> list[Director]:
    """`count` directors (and one more for the probes), each with a draft of `example`, in a call
    open now (its deadline ten days ahead)."""
    document = json.loads(example.read_text(encoding="utf-8"))
    with app.app_context():
        load_data(json.loads(REFERENCE.read_text(encoding="utf-8")))
        now = utcnow()
        campaign = Campaign(
            name=f"AAP {now.year + 1}",
            year=now.year + 1,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=10),
            page_limit=3,
            contact_email=PROGRAMME_EMAIL,
            state=CampaignState.published,
        )
        campaign.initiatives = list(db.session.scalars(select(Initiative)))
        db.session.add(campaign)
        db.session.commit()
        document["campaign"]["year"] = campaign.year
        directors = []
        for number in range(count + 1):
            email = f"director{number:03d}@rush.test"
            factories.user(email, Role.supervisor, password=PASSWORD)
            mine = copy.deepcopy(document)
            mine["director"]["email"] = email
            proposal = import_document(mine)
            db.session.commit()
            reference = f"PRD-{campaign.year}-{proposal.id:04d}"
            directors.append(Director(number, email, proposal.id, reference))
    return directors


@dataclass
class Stored:
    submitted_revisions: int
    description: str | None
    submitted_at: float | None  # epoch seconds


def stored(app, directors: list[Director]) -> dict[int, Stored]:
    """Per proposal: how many submitted revisions, the last one's description, when it was submitted."""
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(ProposalRevision.proposal_id, func.count())
                .where(ProposalRevision.submitted.is_(True))
                .group_by(ProposalRevision.proposal_id)
            ).all()
        )
        result = {}
        for director in directors:
            proposal = db.session.get(Proposal, director.proposal_id)
            revision = proposal.submitted_revision
            result[director.proposal_id] = Stored(
                submitted_revisions=counts.get(director.proposal_id, 0),
                description=revision.content["description"] if revision else None,
                submitted_at=proposal.submitted_at.timestamp() if proposal.submitted_at else None,
            )
        db.session.remove()
    return result


def sent_text(text: str) -> str:
    """The description as the portal stores it, for comparing with what the director sent."""
    return normalise({"description": text})["description"]


@dataclass
class Mail:
    receipts: list[EmailMessage]
    school: list[tuple[float, EmailMessage]]  # (arrival, message)


def mail_of(director: Director, messages: list[tuple[float, EmailMessage]]) -> Mail:
    """The receipt(s) to the director and the transmission(s) of their proposal to the school."""
    mine = [(at, m) for at, m in messages if director.reference in str(m["Subject"])]
    receipts = [m for _at, m in mine if director.email in str(m["To"])]
    school = [(at, m) for at, m in mine if director.email not in str(m["To"])]
    return Mail(receipts, school)


def has_pdf(message: EmailMessage) -> bool:
    return any(
        part.get_content_type() == "application/pdf" and part.get_content().startswith(b"%PDF")
        for part in message.iter_attachments()
    )
