"""The public catalogue's records: each call's publication policy, and each subject's consent,
public text (with its revisions) and unpublication.

A subject's public record is made when its director submits with the consent box ticked; what
the public may see of it at a given moment is decided by `catalogue.visibility` alone.
"""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign

#: The version of the consent's wording the director read (catalogue/forms.py holds the text);
#: a new wording gets a new version, and each consent keeps the one it was given under.
CONSENT_WORDING_VERSION = "2026-1"


def _enum(enum_class, name: str):
    return Enum(enum_class, name=name, native_enum=False, length=24)


class PublicationPolicy(enum.Enum):
    """What a call publishes, chosen by the programme for each call."""

    nothing = "nothing"
    funded = "funded"  # the funded subjects, once the committee's decisions are published
    funded_and_waiting = "funded_and_waiting"  # the same, with the waiting list
    all_submitted = "all_submitted"  # every submitted subject, once the deadline has passed


class CallPublication(db.Model):
    """A call's publication policy; a call without a row publishes nothing."""

    __tablename__ = "call_publications"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    policy: Mapped[PublicationPolicy] = mapped_column(
        _enum(PublicationPolicy, "publication_policy"), default=PublicationPolicy.nothing
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    campaign: Mapped[Campaign] = relationship()
    updated_by: Mapped[User | None] = relationship()


class PublicSubject(TimestampMixin, db.Model):
    """A proposal's public face: the consent, and the current public version of its text.

    `title`, `language` and `content` are the latest revision's (copied there so that lists and
    search read one row); `content` is the public subset of `prd/1` (catalogue/content.py),
    never a student, a share, an address or a review.
    """

    __tablename__ = "public_subjects"
    __table_args__ = (
        CheckConstraint("(consent_at IS NULL) = (consent_wording IS NULL)", name="consent_has_wording"),
        CheckConstraint(
            "(unpublished_at IS NULL) = (unpublish_reason IS NULL)", name="unpublished_has_reason"
        ),
        CheckConstraint("revision_number >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    # Set by a submission with the box ticked, cleared by one without: the latest submission decides.
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_wording: Mapped[str | None] = mapped_column(String(16))
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revision_number: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(250))
    language: Mapped[str] = mapped_column(String(8))
    content: Mapped[dict] = mapped_column(JSON)
    revised_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    unpublished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unpublished_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    unpublish_reason: Mapped[str | None] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(lazy="joined")
    revisions: Mapped[list["PublicRevision"]] = relationship(
        back_populates="subject", cascade="all, delete-orphan", order_by="PublicRevision.number"
    )

    @property
    def position_filled(self) -> bool:
        return bool(self.content.get("position_filled"))

    @property
    def contact_email(self) -> str:
        return self.content.get("contact_email") or ""


class RevisionSource(enum.Enum):
    submission = "submission"  # taken from a submitted version
    correction = "correction"  # the director's correction of the public text after publication


class PublicRevision(db.Model):
    """One state of a subject's public text; never changed once written."""

    __tablename__ = "public_revisions"
    __table_args__ = (UniqueConstraint("subject_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("public_subjects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    source: Mapped[RevisionSource] = mapped_column(_enum(RevisionSource, "public_revision_source"))
    content: Mapped[dict] = mapped_column(JSON)
    # The director's note on a correction ("typo in the title", "position filled").
    note: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    subject: Mapped[PublicSubject] = relationship(back_populates="revisions")
    author: Mapped[User | None] = relationship()


class CatalogueStamp(db.Model):
    """One row whose token changes in the transaction of every change the public could see
    (catalogue/stamp.py): the public pages' caches are keyed by it."""

    __tablename__ = "catalogue_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
