"""The doctoral school's opinion on a proposal, recorded by the staff of the director's school."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class Opinion(enum.Enum):
    favourable = "favourable"
    reserved = "reserved"
    unfavourable = "unfavourable"


class SchoolOpinion(db.Model):
    """One opinion per proposal; recording it again replaces it."""

    __tablename__ = "school_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    opinion: Mapped[Opinion] = mapped_column(
        Enum(Opinion, name="school_opinion", native_enum=False, length=16)
    )
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
