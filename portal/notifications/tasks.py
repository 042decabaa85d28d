"""The outbox's tasks: one message after the commit that wrote it, and the periodic sweep."""

from celery import shared_task

from portal.notifications.outbox import deliver_due, deliver_one


@shared_task(name="notifications.deliver_message")
def deliver_message(message_id: int) -> None:
    # Idempotent: a message already sent, or taken by another worker, is left alone.
    deliver_one(message_id)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox() -> None:
    """What is due and was not sent: a failed attempt's retry, a task lost with the broker."""
    deliver_due()
