"""Page measures kept by content, where every web and worker process finds them, and the text
each proposal last asked to measure (what a measure task reads, and what makes an older one moot)."""

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, utcnow
from portal.documents.layout import PageMeasure
from portal.extensions import db


class StoredMeasure(db.Model):
    """How many pages one description takes in print. The key covers everything that can change
    the layout (proposals/measures.py: text, language, figures, print templates and code)."""

    __tablename__ = "page_measures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    pages: Mapped[float] = mapped_column(Float)
    page_count: Mapped[int]
    last_page_fill: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def measure(self) -> PageMeasure:
        return PageMeasure(pages=self.pages, page_count=self.page_count, last_page_fill=self.last_page_fill)


class MeasureRequest(db.Model):
    """The latest text one person asked to measure on a proposal's page (typed, perhaps not saved).

    A measure task reads its text here; when no one wants its key any more (the director typed
    on), the task is skipped. One row per person, so that co-editors typing at the same time do
    not overtake each other's counts.
    """

    __tablename__ = "measure_requests"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
