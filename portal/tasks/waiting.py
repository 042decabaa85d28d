"""A request's bounded wait for work done by a worker, with no transaction held meanwhile."""

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from sqlalchemy.orm import Session

from portal.extensions import db

T = TypeVar("T")

# How often a waiting request looks: each look is one indexed read in a short session.
POLL_SECONDS = 0.05


def wait_for(look: Callable[[Session], T | None], seconds: float | None = None) -> T | None:
    """Commit the request's own work first (the worker must see it, and no connection stays
    "idle in transaction" while it waits), then call `look` in a new session each time until it
    answers something or RENDER_WAIT_SECONDS have passed; None then."""
    db.session.commit()
    seconds = current_app.config["RENDER_WAIT_SECONDS"] if seconds is None else seconds
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        with Session(db.engine) as session:
            found = look(session)
        if found is not None:
            return found
    return None
