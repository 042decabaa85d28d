"""Proposals: the current draft, its saved revisions, its figures and its co-editors.

The content of a proposal is one `prd/1` document (see docs/prd.schema.json) held as JSON. The
columns beside it repeat what lists and permissions filter on, refreshed at every save.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db
from portal.reference.models import Campaign, DoctoralSchool, Initiative


class ProposalState(enum.Enum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"


class Proposal(TimestampMixin, db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("(state = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"),
        CheckConstraint("(state = 'withdrawn') = (withdrawn_at IS NOT NULL)", name="withdrawn_has_time"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="RESTRICT"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    state: Mapped[ProposalState] = mapped_column(
        Enum(ProposalState, name="proposal_state", native_enum=False, length=16),
        default=ProposalState.draft,
    )
    # Bumped by every change; a save must name the version it started from (optimistic locking).
    version: Mapped[int] = mapped_column(default=1)
    content: Mapped[dict] = mapped_column(JSON)
    title: Mapped[str] = mapped_column(String(250), default="")
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="RESTRICT"), index=True
    )
    director_school_id: Mapped[int | None] = mapped_column(
        ForeignKey("doctoral_schools.id", ondelete="SET NULL"), index=True
    )
    last_saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A later deadline granted by staff to this proposal alone.
    extended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")
    initiative: Mapped[Initiative | None] = relationship(lazy="joined")
    director_school: Mapped[DoctoralSchool | None] = relationship()
    last_saved_by: Mapped[User | None] = relationship(foreign_keys=[last_saved_by_id])
    revisions: Mapped[list["ProposalRevision"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalRevision.number"
    )
    figures: Mapped[list["ProposalFigure"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalFigure.name"
    )
    editors: Mapped[list["ProposalEditor"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalEditor.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __str__(self) -> str:
        return self.title or f"#{self.id}"

    @property
    def deadline(self) -> datetime:
        """The campaign's closing time, or the extension granted to this proposal if later."""
        if self.extended_until and self.extended_until > self.campaign.closes_at:
            return self.extended_until
        return self.campaign.closes_at

    def is_open_for_changes(self, now: datetime | None = None) -> bool:
        """The campaign has opened and this proposal's deadline has not passed (server clock)."""
        now = now or utcnow()
        phase_ok = self.campaign.opens_at <= now and self.campaign.state.value == "published"
        return phase_ok and now < self.deadline

    @property
    def submitted_revision(self) -> "ProposalRevision | None":
        submitted = [revision for revision in self.revisions if revision.submitted]
        return submitted[-1] if submitted else None


class ProposalRevision(db.Model):
    """A saved state of the content; submitted revisions are never changed or deleted."""

    __tablename__ = "proposal_revisions"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted: Mapped[bool] = mapped_column(default=False)
    # The revision this one restored, when it was made by "restore".
    restored_from: Mapped[int | None]
    # The revision (someone else's save) this one was merged with: its author's save started from
    # an older version, and both sides' changes are in this one (proposals/merge_saves.py).
    merged_with: Mapped[int | None]

    proposal: Mapped[Proposal] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class ProposalFigure(db.Model):
    """An image of the description, re-encoded on upload; the Markdown names it `figure:NAME`."""

    __tablename__ = "proposal_figures"
    __table_args__ = (UniqueConstraint("proposal_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int]
    height: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="figures")


class ProposalEditor(db.Model):
    """A co-editor invitation; once accepted, `user` may edit this proposal and no other."""

    __tablename__ = "proposal_editors"
    __table_args__ = (
        UniqueConstraint("proposal_id", "email"),
        CheckConstraint("(accepted_at IS NULL) = (user_id IS NULL)", name="accepted_has_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship(back_populates="editors")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class StoredPdf(db.Model):
    """The official PDF of a submitted version, rendered once; keyed by the hash of what it shows.
    Drafts' PDFs (rendered ahead of time, downloaded) are stored too, and the periodic clean-up
    deletes the old ones (proposals/pdf_cleanup.py)."""

    __tablename__ = "stored_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The proposal that stored it, and whether it is a draft's (no submission stamp): the clean-up
    # keeps every other file. Both unknown (NULL) for files stored before they were recorded: kept.
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    draft: Mapped[bool | None]


class RenderState(enum.Enum):
    ok = "ok"
    failed = "failed"  # overran the time limit or failed: pages show the source (for a while)


class RenderedDescription(db.Model):
    """The web HTML of one description, made once per content (proposals/description_view.py).

    Keyed by the renderer's version, the text and the figures, not by proposal: the HTML names
    figures `figure:NAME`, which each page turns into its own proposal's URLs.
    """

    __tablename__ = "rendered_descriptions"
    __table_args__ = (CheckConstraint("(state = 'ok') = (html IS NOT NULL)", name="ok_has_html"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[RenderState] = mapped_column(
        Enum(RenderState, name="render_state", native_enum=False, length=16)
    )
    html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
