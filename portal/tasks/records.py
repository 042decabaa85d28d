"""At most one queued task per piece of work, a bounded number of attempts, failures kept.

A task killed by the hard time limit or with its worker (SIGKILL, out of memory) cannot record
anything: its record is left started. The next attempt sees it and counts it; after
TASK_MAX_ATTEMPTS the work is failed for good rather than tried forever, and the pages waiting for
it say so. Each function commits in a session of its own, so that a request never holds a
transaction open for the work, and a task's record survives the rollback of its own work.
"""

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.db import utcnow
from portal.extensions import db
from portal.tasks.models import TaskRecord
from portal.tasks.reasons import readable, storable

MAX_ERROR_LENGTH = 2000
# Work a page waits for (a page count, a preview, a PDF asked now) that no worker has started after
# this long was lost with the broker: the next ask queues it again.
LOST_AFTER = timedelta(minutes=2)
# Its worker killed on it, or past the hard time limit, again and again.
KILLED = _l("its rendering was stopped, again and again, past the time allowed")


def _session() -> Session:
    return Session(db.engine, expire_on_commit=False)


def to_queue(task: str, keys: Iterable[str], *, stale_after: timedelta) -> list[str]:
    """Those of `keys` to publish now: not queued yet, or queued so long ago that the broker must
    have lost them; failed ones never. Records the others as queued now."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    now = utcnow()
    with _session() as session, session.begin():
        known = {
            record.key: record
            for record in session.scalars(
                select(TaskRecord).where(TaskRecord.task == task, TaskRecord.key.in_(keys))
            )
        }
        chosen = []
        for key in keys:
            record = known.get(key)
            if record is None:
                session.add(TaskRecord(task=task, key=key, queued_at=now))
            elif record.failed_at is not None or record.queued_at > now - stale_after:
                continue
            else:
                record.queued_at = now
            chosen.append(key)
        try:
            session.flush()
        except IntegrityError:
            # Another request queued the same work at the same moment: it publishes it.
            return []
    return chosen


def start(task: str, key: str) -> str | None:
    """Begin an attempt; returns the stored reason instead when the work has failed for good."""
    with _session() as session, session.begin():
        record = session.scalar(select(TaskRecord).where(TaskRecord.task == task, TaskRecord.key == key))
        if record is None:
            # Work started without being queued through `to_queue` (an outbox message's file).
            record = TaskRecord(task=task, key=key, attempts=0)
            session.add(record)
        if record.failed_at is not None:
            return record.error
        if record.attempts >= current_app.config["TASK_MAX_ATTEMPTS"]:
            record.failed_at, record.error = utcnow(), storable(KILLED)
            return record.error
        record.attempts += 1
        record.started_at = utcnow()
    return None


def succeeded(task: str, key: str) -> None:
    with _session() as session, session.begin():
        session.execute(delete(TaskRecord).where(TaskRecord.task == task, TaskRecord.key == key))


def failed(task: str, key: str, error) -> None:
    """Failed for good: `error` is a lazy message (stored untranslated, reasons.py) or a text."""
    with _session() as session, session.begin():
        record = session.scalar(select(TaskRecord).where(TaskRecord.task == task, TaskRecord.key == key))
        if record is None:
            record = TaskRecord(task=task, key=key)
            session.add(record)
        record.failed_at, record.error = utcnow(), storable(error)[:MAX_ERROR_LENGTH]


def failures(task: str, keys: Iterable[str], *, session: Session | None = None) -> dict[str, str]:
    """key → reason in the reader's language, for those of `keys` whose work failed for good."""
    keys = list(keys)
    if not keys:
        return {}
    rows = (session or db.session).execute(
        select(TaskRecord.key, TaskRecord.error).where(
            TaskRecord.task == task, TaskRecord.key.in_(keys), TaskRecord.failed_at.is_not(None)
        )
    )
    return {row.key: readable(row.error) for row in rows}


def recent_failures(limit: int = 50) -> list[TaskRecord]:
    return list(
        db.session.scalars(
            select(TaskRecord)
            .where(TaskRecord.failed_at.is_not(None))
            .order_by(TaskRecord.failed_at.desc())
            .limit(limit)
        )
    )
