"""SQLite, the embedded database of `make run` and the tests, shared by several processes.

The web server, the Celery workers and the scheduler all open the same file. In SQLite's default
journal mode a reader blocks every writer until its transaction ends, so a worker reading a text
before laying it out would make the director's autosave wait, then fail as "database is locked".
Write-ahead logging lets readers and one writer work at once, and a writer waits up to 30 s for
another (Python's default, 5 s, is passed on a busy 2-core machine while a worker stores a PDF).
PostgreSQL needs none of this.
"""

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine

BUSY_TIMEOUT_MS = 30_000


@event.listens_for(Engine, "connect")
def _write_ahead_log(connection, _record) -> None:
    if not isinstance(connection, sqlite3.Connection):
        return
    cursor = connection.cursor()
    try:
        # An in-memory database answers "memory" and keeps its own mode; a file switches once.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()
