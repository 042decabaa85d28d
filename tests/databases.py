"""Test databases: one per xdist worker, its schema built once, emptied after each test.

Emptying beats the other ways of isolating tests here (measured in docs/architecture.md, "Tests"):
a schema built per test costs about a second, TRUNCATE on PostgreSQL about 0.4 s, while DELETE on
every table plus a reset of the id sequences costs a few milliseconds. Rolling back a transaction
would not do: requests, the outbox's delivery after commit and the background exports each use
connections of their own, and must see what the test committed.
"""

import os
import uuid
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from portal.extensions import db


def worker() -> str:
    """This process's xdist worker ("gw0", "gw1"…), or "main" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def sqlite_directory() -> Path:
    """Where the SQLite files go: PYTEST_SQLITE_DIR, else memory (tmpfs) when the system has it.

    SQLite syncs its file to disk at every commit, about 15 ms on this machine's disk; the suite
    commits tens of thousands of times and needs no durability.
    """
    if chosen := os.environ.get("PYTEST_SQLITE_DIR"):
        return Path(chosen)
    memory = Path("/dev/shm")
    return memory if memory.is_dir() and os.access(memory, os.W_OK) else Path("/tmp")


def _admin_url(url: str):
    return make_url(url).set(drivername="postgresql+psycopg")


def create_database(prefix: str) -> str:
    """A brand-new database: on the PostgreSQL server of TEST_DATABASE_URL, else a SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if not base:
        return f"sqlite:///{sqlite_directory() / name}.sqlite3"
    url = _admin_url(base)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and os.path.exists(parsed.database):
            os.remove(parsed.database)
        return
    engine = create_engine(_admin_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    engine.dispose()


def build_schema(url: str) -> None:
    """The models' tables, as `db.create_all` makes them."""
    import portal.models  # noqa: F401  (every table registered on the metadata)

    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()


def _sequences(engine: Engine) -> list[str]:
    """PostgreSQL's id sequences, so that each test numbers its rows from 1, as on a new schema."""
    if engine.dialect.name != "postgresql":
        return []  # SQLite gives the next row max(id) + 1: an empty table starts again at 1
    query = text(
        "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
        " AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL"
    )
    with engine.connect() as connection:
        return list(connection.scalars(query))


class Emptier:
    """Deletes every row of every table and restarts the sequences, in one round trip."""

    def __init__(self, engine: Engine):
        preparer = engine.dialect.identifier_preparer
        # Children first, so that no foreign key points at a row already gone.
        tables = [preparer.format_table(table) for table in reversed(db.metadata.sorted_tables)]
        statements = [f"DELETE FROM {name}" for name in tables]  # noqa: S608 (our own table names)
        sequences = _sequences(engine)
        if sequences:
            # One SELECT of setval: several times quicker than an ALTER SEQUENCE … RESTART each.
            statements.append("SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in sequences))
        self.statements = statements
        self.script = "; ".join(statements)

    def __call__(self, engine: Engine) -> None:
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                for statement in self.statements:  # sqlite3 runs one statement per call
                    connection.exec_driver_sql(statement)
            else:
                connection.exec_driver_sql(self.script)
