"""The transactional outbox (every e-mail is a row written with the change that causes it) and the
administrators' wording of the e-mails."""

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import UTCDateTime, utcnow
from portal.extensions import db


class OutboxStatus(enum.Enum):
    pending = "pending"
    sent = "sent"
    failed = "failed"


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status != 'sent' OR sent_at IS NOT NULL", name="sent_has_sent_at"),
        CheckConstraint(
            "attachment_kind IS NULL OR (attachment_key IS NOT NULL AND attachment_name IS NOT NULL"
            " AND raw_without_attachment IS NOT NULL)",
            name="later_attachment_complete",
        ),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recipients: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    # The whole message as it goes to the SMTP server (EmailMessage.as_bytes()), attachments included,
    # except the file named below, which is made when the message is sent (notifications/attachments.py).
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    attachment_kind: Mapped[str | None] = mapped_column(String(32))
    attachment_key: Mapped[int | None]
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    # The message to send instead when that file cannot be made (it says where to find it).
    raw_without_attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, name="outbox_status", native_enum=False, length=16), default=OutboxStatus.pending
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The task that holds the lease (its Celery id): the same task given back by the broker after
    # its worker died takes the message again at once, instead of waiting for the lease to end.
    claimed_by: Mapped[str | None] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status.value} to {self.recipients}>"


class EmailTemplateOverride(db.Model):
    """An administrator's wording of one e-mail in one language, used instead of templates/emails/.

    An empty subject or body keeps the default of that part; the HTML part is built from the body.
    """

    __tablename__ = "email_template_overrides"
    __table_args__ = (
        UniqueConstraint("template", "locale"),
        CheckConstraint("locale IN ('fr', 'en')", name="known_locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    updated_by: Mapped[User | None] = relationship()
