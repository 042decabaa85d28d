"""A request's bounded wait for work done by a worker, with no transaction held meanwhile."""

import time
from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from sqlalchemy.orm import Session

from portal.extensions import db

T = TypeVar("T")

# How often a waiting request looks: each look is one indexed read in a short session. The first
# look comes soon (a warm page count takes a few tenths of a second) and the next ones further
# apart: at the deadline hour dozens of requests wait at once, and looking every 50 ms for 2 s
# made 40 reads each, work that took the web's processor from the pages being served.
FIRST_LOOK_SECONDS = 0.05
LOOK_GROWTH = 1.5
LONGEST_LOOK_SECONDS = 0.3


def wait_for(look: Callable[[Session], T | None], seconds: float | None = None) -> T | None:
    """Commit the request's own work first (the worker must see it, and no connection stays
    "idle in transaction" while it waits), then call `look` in a new session each time until it
    answers something or RENDER_WAIT_SECONDS have passed; None then."""
    db.session.commit()
    seconds = current_app.config["RENDER_WAIT_SECONDS"] if seconds is None else seconds
    deadline = time.monotonic() + seconds
    pause = FIRST_LOOK_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(pause, left))
        pause = min(pause * LOOK_GROWTH, LONGEST_LOOK_SECONDS)
        with Session(db.engine) as session:
            found = look(session)
        if found is not None:
            return found
    return None
