"""The record of background work that a page waits for: queued once, tried a bounded number of
times, and failed for good with its reason (shown to the user who waits, and on /admin/outbox)."""

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import UTCDateTime, utcnow
from portal.extensions import db
from portal.tasks.reasons import readable


class TaskRecord(db.Model):
    __tablename__ = "task_records"
    __table_args__ = (UniqueConstraint("task", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task: Mapped[str] = mapped_column(String(64))
    # What the work is about: a content hash, a proposal id…; one record per (task, key).
    key: Mapped[str] = mapped_column(String(128))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Untranslated (tasks/reasons.py): `reason` is what a reader reads.
    error: Mapped[str | None] = mapped_column(Text)

    @property
    def reason(self) -> str:
        """Why it failed, in the reader's language."""
        return readable(self.error)
