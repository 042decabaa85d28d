"""On SQLite, a worker reading (a text it is about to lay out) does not lock the director's save out."""

import sqlite3

import pytest
from sqlalchemy import create_engine, text

import portal.extensions  # noqa: F401 (registers the connect event, as the app does)


@pytest.fixture
def engine(tmp_path):
    # Another process's reader is a connection of its own: here, a second connection of the engine.
    engine = create_engine(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT)"))
        connection.execute(text("INSERT INTO drafts (body) VALUES ('first words')"))
    yield engine
    engine.dispose()


def test_a_reader_in_a_transaction_does_not_block_a_writer(engine):
    with engine.connect() as reader, engine.connect() as writer:
        reader.exec_driver_sql("BEGIN")
        assert reader.execute(text("SELECT body FROM drafts")).scalar() == "first words"
        # Without write-ahead logging this commit waits for the reader, then fails: "database is locked".
        writer.execute(text("UPDATE drafts SET body = 'newer words'"))
        writer.commit()
        # The reader keeps the snapshot it started with until its transaction ends.
        assert reader.execute(text("SELECT body FROM drafts")).scalar() == "first words"
        reader.exec_driver_sql("COMMIT")
        assert reader.execute(text("SELECT body FROM drafts")).scalar() == "newer words"


def test_the_file_is_in_write_ahead_mode_and_a_writer_waits_long_for_another(engine):
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    assert isinstance(engine.raw_connection().driver_connection, sqlite3.Connection)
