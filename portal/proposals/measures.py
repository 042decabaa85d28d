"""Page measures by content: asked by the web, made by a task on the interactive queue, read by all.

The web never lays a text out. It records the text its page asked for (one `MeasureRequest` a
proposal), queues the measure once for every process (a task record per key), commits so that
no transaction is held while it waits, and then waits a bounded time for the row to appear in
`page_measures`. A text already measured, by anyone, is answered at once.
"""

import hashlib
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import null, select, union_all
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.auth.models import User
from portal.db import utcnow
from portal.documents.errors import DocumentError
from portal.documents.hashing import TEMPLATE_VERSION
from portal.documents.layout import PageMeasure
from portal.extensions import db
from portal.proposals.measure_models import MeasureRequest, StoredMeasure
from portal.proposals.models import Proposal
from portal.proposals.printing import figure_stamps
from portal.tasks import INTERACTIVE, after_commit, records
from portal.tasks.models import TaskRecord
from portal.tasks.reasons import readable
from portal.tasks.waiting import wait_for

MEASURE = "proposals.measure"


@dataclass(frozen=True)
class MeasureState:
    """Where the measure of one text is: made (`measure`), failed for good (`failure`), or neither."""

    key: str
    measure: PageMeasure | None = None
    failure: str | None = None

    @property
    def done(self) -> bool:
        return self.measure is not None or self.failure is not None


def language_of(proposal: Proposal) -> str:
    return proposal.content.get("language") or "fr"


def measure_key(text: str, figures: dict, language: str) -> str:
    """What the layout depends on: print templates, fonts and code (TEMPLATE_VERSION), language,
    text, and each figure's name and hash."""
    digest = hashlib.sha256(f"{TEMPLATE_VERSION}\0{language}\0{text}".encode())
    for name in sorted(figures):
        digest.update(f"\0{name}\0{figures[name].sha256}".encode())
    return digest.hexdigest()


def key_of(proposal: Proposal, text: str) -> str:
    return measure_key(text, figure_stamps(proposal), language_of(proposal))


def ask(proposal: Proposal, text: str, user: User) -> MeasureState:
    """The measure of `text` with this proposal's figures; when not made yet, recorded as what
    `user` wants on this proposal and queued after the caller's commit (once for every process)."""
    key = key_of(proposal, text)
    state = look_up(key, db.session)
    if state.done:
        return state
    # The task record first: it commits in a session of its own, which SQLite would make wait
    # behind this session's write.
    queue = records.to_queue(MEASURE, [key], stale_after=records.LOST_AFTER)
    _want(proposal, user, key, text)
    if queue:
        after_commit(MEASURE, key, queue=INTERACTIVE)
    return state


def _want(proposal: Proposal, user: User, key: str, text: str) -> None:
    """One statement that inserts or updates this person's row. Reading it first and then writing
    would fail at once on SQLite when a worker commits in between (a stale snapshot cannot be
    upgraded to a write); the person's other tab asking at the same moment is no error either."""
    values = {"key": key, "text": text, "language": language_of(proposal), "asked_at": utcnow()}
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(MeasureRequest).values(proposal_id=proposal.id, user_id=user.id, **values)
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[MeasureRequest.proposal_id, MeasureRequest.user_id], set_=values
        )
    )


def wanted(proposal: Proposal, user: User, key: str) -> MeasureRequest | None:
    """What `user` asked to measure on this proposal, if it is still `key`."""
    request = db.session.get(MeasureRequest, (proposal.id, user.id))
    return request if request is not None and request.key == key else None


class MeasurePending(Exception):
    """The submission's text has no measure yet: it is being made."""


def stored_pages(proposal: Proposal):
    """The submission's `description_pages`: the stored measure of the text, never a layout."""

    def pages(text: str) -> PageMeasure:
        state = look_up(key_of(proposal, text), db.session)
        if state.failure is not None:
            raise DocumentError(count_failed(state.failure))
        if state.measure is None:
            raise MeasurePending(state.key)
        return state.measure

    return pages


def count_failed(reason: str) -> str:
    return _("The page count could not be made: %(reason)s", reason=reason)


def look_up(key: str, session: Session) -> MeasureState:
    """The measure of `key`, or its failure, in one round trip: a waiting page count looks several
    times a second, and at the deadline dozens wait at once."""
    measured = select(
        StoredMeasure.pages, StoredMeasure.page_count, StoredMeasure.last_page_fill, null().label("error")
    ).where(StoredMeasure.key == key)
    failed = select(null(), null(), null(), TaskRecord.error).where(
        TaskRecord.task == MEASURE, TaskRecord.key == key, TaskRecord.failed_at.is_not(None)
    )
    rows = session.execute(union_all(measured, failed)).all()
    found = next((row for row in rows if row.page_count is not None), None)
    if found is not None:
        measure = PageMeasure(
            pages=found.pages, page_count=found.page_count, last_page_fill=found.last_page_fill
        )
        return MeasureState(key, measure=measure)
    return MeasureState(key, failure=readable(rows[0].error)) if rows else MeasureState(key)


def wait(key: str) -> MeasureState:
    """The measure once made or failed, waiting at most RENDER_WAIT_SECONDS (the session released)."""
    state = wait_for(lambda session: _done(key, session))
    return state or MeasureState(key)


def _done(key: str, session: Session) -> MeasureState | None:
    state = look_up(key, session)
    return state if state.done else None
