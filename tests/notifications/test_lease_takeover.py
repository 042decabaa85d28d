"""A message's lease belongs to the task that took it: given back by the broker after its worker
died (same task id), that task takes the message over at once; any other waits for the lease."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.notifications.mail import send_template
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.outbox import deliver_due, deliver_one
from tests import factories
from tests.celery_worker import wait_idle


def _leased_by(claimant: str) -> OutboxMessage:
    """A message taken by `claimant`, whose worker died before sending it."""
    user = factories.user("ada@example.org")
    with current_app.test_request_context():
        send_template(to=user.email, template="confirm_email", locale="en", user=user, url="http://x/confirm")
    row = db.session.scalars(select(OutboxMessage)).one()
    row.next_attempt_at, row.claimed_by = utcnow() + timedelta(minutes=5), claimant
    db.session.commit()
    wait_idle()  # its delivery task found it leased and left it
    return row


def test_only_the_task_given_back_takes_its_message_over_before_the_lease_ends(app_context, mailbox):
    row = _leased_by("task-1")
    assert deliver_one(row.id, "task-2") is None and deliver_due(claimant="task-2") == (0, 0)
    assert mailbox.messages == []

    assert deliver_due(claimant="task-1") == (1, 0)  # the sweep given back after its worker died
    assert deliver_one(row.id, "task-1") is None  # sent: never twice
    db.session.refresh(row)
    assert row.status is OutboxStatus.sent and len(mailbox.to("ada@example.org")) == 1
