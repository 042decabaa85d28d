"""The transactional outbox: messages are rows written in the transaction that causes them.

`queue` adds the message to the current session; once that transaction commits, one delivery
attempt is made at once, in a session of its own. What fails (or never got its attempt, if the
process died) is retried by `flask outbox run` with exponential back-off, and is marked failed after
OUTBOX_MAX_ATTEMPTS attempts; administrators see it on /admin/outbox and may send it again.
"""

import email
import logging
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import db
from portal.notifications import attachments
from portal.notifications.mail import LaterAttachment, add_attachment, deliver
from portal.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

# session.info key: ids of the messages written in the session's current transaction.
_COMMITTED_IDS = "outbox_message_ids"
# The first retry comes after one minute, then 2, 4, 8… minutes.
RETRY_BASE = timedelta(minutes=1)
MAX_ERROR_LENGTH = 2000


def queue(
    message: EmailMessage, *, later: LaterAttachment | None = None, without: EmailMessage | None = None
) -> OutboxMessage:
    """Write the message in the current transaction; it leaves once that transaction commits.

    `later` names a file to attach when sending; `without` is the message to send instead if that
    file cannot be made.
    """
    row = OutboxMessage(
        recipients=str(message["To"]),
        subject=str(message["Subject"]),
        raw=message.as_bytes(),
        status=OutboxStatus.pending,
        attempts=0,
        next_attempt_at=utcnow(),
    )
    if later is not None:
        row.attachment_kind, row.attachment_key, row.attachment_name = later.kind, later.key, later.filename
        row.raw_without_attachment = without.as_bytes()
    db.session.add(row)
    return row


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=default_policy)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return RETRY_BASE * 2 ** max(attempts - 1, 0)


def ready_message(row: OutboxMessage) -> EmailMessage:
    """The message as it leaves: with the file the row names, made now, or without it if it fails."""
    message = parse(row.raw)
    if row.attachment_kind is None:
        return message
    try:
        mime_type, data = attachments.make(row.attachment_kind, row.attachment_key)
    except Exception:  # noqa: BLE001 (the message must still go: its other copy says where the file is)
        log.exception(
            "E-mail %s: %s %s not made, sent without it", row.id, row.attachment_kind, row.attachment_key
        )
        return parse(row.raw_without_attachment)
    add_attachment(message, row.attachment_name, mime_type, data)
    return message


def _attempt(row: OutboxMessage) -> bool:
    """One delivery attempt; records the outcome on the row (the caller commits)."""
    row.attempts += 1
    try:
        deliver(ready_message(row))
    except Exception as error:  # noqa: BLE001 (any failure only schedules a retry)
        row.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]
        if row.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            row.status = OutboxStatus.failed
            log.error("E-mail %s to %s failed %d times: given up", row.id, row.recipients, row.attempts)
        else:
            row.next_attempt_at = utcnow() + retry_delay(row.attempts)
            log.warning("E-mail %s to %s not delivered (%s): retried later", row.id, row.recipients, error)
        return False
    row.status = OutboxStatus.sent
    row.sent_at = utcnow()
    row.last_error = None
    return True


def _claim(session: Session, *conditions) -> OutboxMessage | None:
    """One pending message, locked so that no other worker sends it (PostgreSQL; ignored by SQLite)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.pending, *conditions)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return session.scalars(query).first()


def deliver_now(ids) -> int:
    """Try the given pending messages once each, in a session of their own; returns how many left."""
    sent = 0
    for message_id in sorted(ids):
        with Session(db.engine) as session, session.begin():
            row = _claim(session, OutboxMessage.id == message_id)
            if row is not None:
                sent += _attempt(row)
    return sent


def deliver_due(limit: int = 500) -> tuple[int, int]:
    """Send the pending messages whose time has come; returns (sent, not sent)."""
    sent = missed = 0
    while sent + missed < limit:
        with Session(db.engine) as session, session.begin():
            row = _claim(session, OutboxMessage.next_attempt_at <= utcnow())
            if row is None:
                break
            if _attempt(row):
                sent += 1
            else:
                missed += 1
    return sent, missed


def resend(row: OutboxMessage) -> None:
    """Put a message back in the queue, with all its attempts; it leaves after the commit."""
    row.status = OutboxStatus.pending
    row.attempts = 0
    row.next_attempt_at = utcnow()
    session = Session.object_session(row)
    if session is not None and row.id is not None:
        session.info.setdefault(_COMMITTED_IDS, set()).add(row.id)


@event.listens_for(Session, "pending_to_persistent")
def _remember(session: Session, instance) -> None:
    if isinstance(instance, OutboxMessage):
        session.info.setdefault(_COMMITTED_IDS, set()).add(instance.id)


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_COMMITTED_IDS, None)


@event.listens_for(Session, "after_commit")
def _deliver_committed(session: Session) -> None:
    """Right after the transaction that wrote messages commits, try them once (best effort)."""
    if session.in_nested_transaction():
        return  # a savepoint: the messages are not committed yet
    ids = session.info.pop(_COMMITTED_IDS, None)
    if not ids or not has_app_context():
        return  # without an application, the worker sends them
    try:
        deliver_now(ids)
    except Exception:  # noqa: BLE001 (the change is committed: the worker retries what is left)
        log.exception("Immediate delivery of e-mails %s failed; the outbox worker retries them", sorted(ids))
