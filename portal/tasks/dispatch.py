"""Publishing tasks once the transaction that needs them has committed.

A task published before the commit could run before its rows exist, or for a change that is then
rolled back. So work asked for during a transaction is kept in the session and published by the
session's after_commit event; a rollback forgets it. Each task reads what it needs from the
database, where the durable record is (an outbox row, a stored text): if the broker is down when
publishing, the work is only delayed until a sweep or the next request asks again.
"""

import logging

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.tasks.routing import PRIORITIES, ROUTES

log = logging.getLogger(__name__)

_WAITING = "tasks_after_commit"


def publish(name: str, *args, queue: str | None = None) -> bool:
    """Send the task now; False (logged) when the broker cannot be reached."""
    celery = current_app.extensions["celery"]
    try:
        celery.send_task(name, args=args, queue=queue or ROUTES[name], priority=PRIORITIES.get(name))
    except Exception as error:  # noqa: BLE001 (the durable rows wait for the sweep or the next ask)
        log.warning("Task %s%r not published (%s): it waits for the next sweep or request", name, args, error)
        return False
    return True


def after_commit(name: str, *args, queue: str | None = None, session: Session | None = None) -> None:
    """Publish the task once the current transaction commits; never if it rolls back."""
    waiting = (session or db.session).info.setdefault(_WAITING, [])
    if (name, args, queue) not in waiting:
        waiting.append((name, args, queue))


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(_WAITING, None)


@event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: nothing is committed yet
    waiting = session.info.pop(_WAITING, None)
    if not waiting or not has_app_context():
        return
    for name, args, queue in waiting:
        publish(name, *args, queue=queue)
