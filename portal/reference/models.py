"""Reference data models, edited by administrators and loaded from CSV or JSON files."""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Column, Enum, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db


class InitiativeKind(enum.Enum):
    initiative = "initiative"
    institute = "institute"


class CampaignState(enum.Enum):
    """draft: being prepared, hidden from supervisors; published: accepts proposals between its dates."""

    draft = "draft"
    published = "published"
    archived = "archived"


class CampaignPhase(enum.Enum):
    """Derived from the state and the clock; never stored."""

    preparing = "preparing"
    upcoming = "upcoming"
    open = "open"
    closed = "closed"
    archived = "archived"


campaign_initiatives = Table(
    "campaign_initiatives",
    Base.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("initiative_id", ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True),
)


class Initiative(TimestampMixin, db.Model):
    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[InitiativeKind] = mapped_column(
        Enum(InitiativeKind, name="initiative_kind", native_enum=False, length=16),
        default=InitiativeKind.initiative,
    )
    contact_email: Mapped[str] = mapped_column(String(254))

    def __str__(self) -> str:
        return self.acronym


class DoctoralSchool(TimestampMixin, db.Model):
    __tablename__ = "doctoral_schools"
    __table_args__ = (
        CheckConstraint(
            "supervision_cap IS NULL OR (supervision_cap >= 100 AND supervision_cap <= 1000)",
            name="supervision_cap_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    acronym: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))
    contact_email: Mapped[str] = mapped_column(String(254))
    in_alliance: Mapped[bool] = mapped_column(default=True)
    supervision_cap: Mapped[int | None]

    def __str__(self) -> str:
        if self.acronym and self.acronym != self.number:
            return f"{self.number} {self.acronym}"
        return self.number


class ResearchUnit(TimestampMixin, db.Model):
    __tablename__ = "research_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    acronym: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(255))

    def __str__(self) -> str:
        return f"{self.acronym} ({self.code})"


class Campaign(TimestampMixin, db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("page_limit >= 1 AND page_limit <= 20", name="page_limit_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(unique=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    page_limit: Mapped[int] = mapped_column(default=3)
    contact_email: Mapped[str] = mapped_column(String(254))
    description: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[CampaignState] = mapped_column(
        Enum(CampaignState, name="campaign_state", native_enum=False, length=16),
        default=CampaignState.draft,
    )
    initiatives: Mapped[list[Initiative]] = relationship(
        secondary=campaign_initiatives, order_by=Initiative.acronym
    )
    # Institution domains the conflict rule "same e-mail domain" ignores: at one university
    # everyone shares them (portal/reference/mail_domains.py checks the list).
    ignored_mail_domains: Mapped[list[str]] = mapped_column(JSON, default=list)

    def __str__(self) -> str:
        return self.name

    def phase(self, now: datetime | None = None) -> CampaignPhase:
        """Where the campaign stands at `now`: the server's clock decides."""
        now = now or utcnow()
        if self.state is CampaignState.archived:
            return CampaignPhase.archived
        if self.state is CampaignState.draft:
            return CampaignPhase.preparing
        if now < self.opens_at:
            return CampaignPhase.upcoming
        if now < self.closes_at:
            return CampaignPhase.open
        return CampaignPhase.closed

    def is_open(self, now: datetime | None = None) -> bool:
        return self.phase(now) is CampaignPhase.open
