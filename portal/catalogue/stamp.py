"""The catalogue stamp: a value that changes whenever anything the public may see can change.

Written in the transaction of the change itself, at its commit, as noted by a flush event on
every table that feeds `visibility` or the public pages' labels (a publication, a correction, an
unpublication, a policy, decisions published, a consent, a withdrawal, a call's or a reference's
edit) and by bulk `update()`/`insert()`/`delete()` statements on them; read with one primary-key
query per request.
Time also opens pages (a deadline, a publication date of decisions set ahead): the stamp includes
the next instant at which visibility changes by time alone, so it changes at that instant too.

A new random token rather than a counter, so that a table emptied and filled again (the tests do
it) can never give back a stamp under which other data was cached.
"""

import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import Connection, event, func, insert, select, update
from sqlalchemy.orm import Session

from portal.catalogue.models import CallPublication, CatalogueStamp, PublicSubject
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalFigure
from portal.reference.models import Campaign, DoctoralSchool, Initiative, ResearchUnit
from portal.reviews.models import Committee, Decision

_ROW = 1
#: Tables any change of which may change a public page.
_WATCHED = (
    PublicSubject,
    CallPublication,
    Campaign,
    Committee,
    Decision,
    Initiative,
    DoctoralSchool,
    ResearchUnit,
    ProposalFigure,  # served by the public subject pages
)
#: A proposal is edited all the time; only these of its columns feed visibility.
_PROPOSAL_COLUMNS = ("state", "campaign_id", "initiative_id", "extended_until")
_table = CatalogueStamp.__table__
_READ = select(_table.c.token).where(_table.c.id == _ROW)


def bump(connection: Connection) -> None:
    """A new stamp, in `connection`'s transaction."""
    values = {"token": secrets.token_hex(16), "changed_at": utcnow()}
    if connection.execute(update(_table).where(_table.c.id == _ROW).values(values)).rowcount == 0:
        connection.execute(insert(_table).values(id=_ROW, **values))


def _changes_the_catalogue(session: Session, row: object) -> bool:
    if isinstance(row, Proposal):
        state = db.inspect(row)
        return any(state.attrs[name].history.has_changes() for name in _PROPOSAL_COLUMNS)
    return isinstance(row, _WATCHED) and session.is_modified(row)


_CHANGED = "catalogue_changed"


@event.listens_for(Session, "after_flush")
def _note_flushed(session: Session, _context) -> None:
    watched = (*_WATCHED, Proposal)
    created_or_deleted = any(isinstance(row, watched) for row in (*session.new, *session.deleted))
    if created_or_deleted or any(_changes_the_catalogue(session, row) for row in session.dirty):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, (*_WATCHED, Proposal)):
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _stamp_committed(session: Session) -> None:
    # Written at the commit, in its transaction: the row is locked for the commit alone, not for
    # the whole transaction, so that concurrent changes queue for as short a time as possible.
    session.flush()
    if session.info.pop(_CHANGED, False):
        bump(session.connection())


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # a savepoint's end leaves the outer changes noted
        session.info.pop(_CHANGED, None)


def _next_change(now: datetime) -> datetime | None:
    """The next instant after `now` at which visibility changes by time alone."""
    candidates = (
        select(func.min(Campaign.closes_at)).where(Campaign.closes_at > now),
        select(func.min(Proposal.extended_until)).where(Proposal.extended_until > now),
        select(func.min(Committee.decisions_published_at)).where(Committee.decisions_published_at > now),
    )
    found = [value for value in (db.session.scalar(query) for query in candidates) if value is not None]
    return min(found, default=None)


def current() -> str | None:
    """The stamp now; None when there is none yet (nothing may then be cached)."""
    # Straight from the pool, not through the ORM session: on a 304 or a kept page this query is
    # the whole of the request's database work, and the session's machinery doubled it.
    with db.engine.connect() as connection:
        token = connection.execute(_READ).scalar()
    if token is None:
        return None
    # The next instant by time is the same for a given token until it passes: found once per
    # token and process, not per request.
    known = current_app.extensions.get("catalogue_stamp")
    now = utcnow()
    if known is None or known[0] != token or (known[1] is not None and now >= known[1]):
        known = current_app.extensions["catalogue_stamp"] = (token, _next_change(now))
    following = known[1]
    return f"{token}.{following.isoformat() if following else '-'}"


# A new database starts with its stamp (migrations insert it too).
event.listen(
    _table,
    "after_create",
    lambda _table_, connection, **_kw: bump(connection),
)
