"""Counting the SQL statements a page or a call issues, for the query-count tests."""

import threading

from sqlalchemy import event

from portal.extensions import db


def count_queries(call) -> int:
    """How many statements `call()` sends to the database (not the task worker's meanwhile)."""
    count = {"n": 0}
    caller = threading.get_ident()

    def counter(*args):
        if threading.get_ident() == caller:
            count["n"] += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        db.session.expire_all()
        call()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count["n"]


def page_queries(client, path: str) -> int:
    """How many statements the page at `path` costs; the page must answer 200."""
    responses = []
    count = count_queries(lambda: responses.append(client.get(path)))
    assert responses[0].status_code == 200
    return count
