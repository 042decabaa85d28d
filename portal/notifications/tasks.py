"""The outbox's tasks: one message after the commit that wrote it, and the periodic sweep.

Each passes its own id as the claimant: when its worker dies, the broker gives the same task (same
id) to another, which takes over the messages it held (outbox._claim).
"""

from celery import shared_task

from portal.notifications.outbox import deliver_due, deliver_one


@shared_task(name="notifications.deliver_message", bind=True)
def deliver_message(self, message_id: int) -> None:
    # Idempotent: a message already sent, or taken by another worker, is left alone.
    deliver_one(message_id, self.request.id)


@shared_task(name="notifications.sweep_outbox", bind=True)
def sweep_outbox(self) -> None:
    """What is due and was not sent: a failed attempt's retry, a task lost with the broker."""
    deliver_due(claimant=self.request.id)
