"""Files attached when a message is sent, not when it is written (mail.LaterAttachment).

A message is written in the transaction of the change that causes it; a file that takes seconds to
make (the official PDF) would hold that transaction open, and a failure to make it would lose the
change or the message. So the outbox row names the file (a kind and a key), and the sender, the
delivery task after the commit or the periodic sweep, asks the maker of that kind for it.

Makers are registered by the domain that knows the file (`@maker("official_pdf")` in
portal/proposals/receipts.py); notifications know nothing of proposals.
"""

import logging
from collections.abc import Callable

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db

log = logging.getLogger(__name__)

Maker = Callable[[int], tuple[str, bytes]]  # key → (MIME type, content)
_MAKERS: dict[str, Maker] = {}


def maker(kind: str) -> Callable[[Maker], Maker]:
    """Register the function that makes the files of `kind` from their key."""

    def register(function: Maker) -> Maker:
        _MAKERS[kind] = function
        return function

    return register


def make(kind: str, key: int) -> tuple[str, bytes]:
    """The file named by (kind, key); raises whatever its maker raises when it cannot be made.

    It runs in an application context of its own, so with a database session of its own: the
    sender may be inside the commit of the request's session, which can no longer query. What the
    maker stores (a PDF rendered once, for later downloads) is committed here.
    """
    with current_app.app_context():
        mime_type, data = _MAKERS[kind](key)
        try:
            db.session.commit()
        except SQLAlchemyError:  # another process stored the same file meanwhile: only a cache
            db.session.rollback()
            log.warning("The %s file %s was made but not stored", kind, key, exc_info=True)
    return mime_type, data
