"""The transactional outbox: messages are rows written in the transaction that causes them.

`queue` adds the message to the current session; once that transaction commits, a task
(`notifications.deliver_message`, portal/notifications/tasks.py) makes one delivery attempt in a
worker. What fails, or whose task was lost (broker down, worker killed), is sent by the periodic
sweep (`notifications.sweep_outbox`) with exponential back-off, and is marked failed after
OUTBOX_MAX_ATTEMPTS attempts; administrators see it on /admin/outbox and may send it again.
"""

import email
import logging
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import db
from portal.notifications import attachments
from portal.notifications.mail import LaterAttachment, add_attachment, deliver
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.tasks import SUBMISSION, after_commit

log = logging.getLogger(__name__)

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


def _claim(message_id: int, claimant: str | None) -> bool:
    """Take the message for one attempt, if it is pending and due; False when another has it.

    The claim is an UPDATE that moves the row's next attempt past a lease, committed before the
    attempt: two workers (or a task and the sweep) never send the same message, on PostgreSQL as
    on SQLite, and no transaction stays open while its PDF is made. A worker killed during the
    attempt leaves the row pending: the broker gives its task (acknowledged late, same id) to
    another worker, which takes the lease over at once (`claimant`); else the sweep sends it once
    the lease is over.
    """
    now = utcnow()
    lease = now + timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    with Session(db.engine) as session, session.begin():
        claimed = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == message_id, _takeable(now, claimant))
            .values(next_attempt_at=lease, claimed_by=claimant)
        )
    return claimed.rowcount == 1


def _takeable(now, claimant: str | None):
    """Pending, and due, or leased by this same claimant (its task given back after its worker died)."""
    free = OutboxMessage.next_attempt_at <= now
    if claimant is not None:
        free = free | (OutboxMessage.claimed_by == claimant)
    return (OutboxMessage.status == OutboxStatus.pending) & free


def deliver_one(message_id: int, claimant: str | None = None) -> bool | None:
    """One attempt at that message; None when it is not pending and due (sent, or someone has it).

    `claimant` names the attempt (the task's id), the same when the broker gives the task again."""
    if not _claim(message_id, claimant):
        return None
    with Session(db.engine) as session, session.begin():
        return _attempt(session.get(OutboxMessage, message_id))


def deliver_due(limit: int = 500, claimant: str | None = None) -> tuple[int, int]:
    """Send the pending messages whose time has come, and those `claimant` held; returns (sent, not sent)."""
    due = db.session.scalars(
        select(OutboxMessage.id)
        .where(_takeable(utcnow(), claimant))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.rollback()  # nothing held while sending
    sent = missed = 0
    for message_id in due:
        outcome = deliver_one(message_id, claimant)
        if outcome is not None:
            sent, missed = (sent + 1, missed) if outcome else (sent, missed + 1)
    return sent, missed


def resend(row: OutboxMessage) -> None:
    """Put a message back in the queue, with all its attempts; it leaves after the commit."""
    row.status = OutboxStatus.pending
    row.attempts = 0
    row.next_attempt_at = utcnow()
    _deliver_after_commit(Session.object_session(row) or db.session, row)


def _deliver_after_commit(session: Session, row: OutboxMessage) -> None:
    # A message with the official PDF goes with the submissions; others are a few milliseconds each.
    queue = SUBMISSION if row.attachment_kind is not None else None
    after_commit("notifications.deliver_message", row.id, queue=queue, session=session)


@event.listens_for(Session, "pending_to_persistent")
def _remember(session: Session, instance) -> None:
    if isinstance(instance, OutboxMessage):
        _deliver_after_commit(session, instance)
