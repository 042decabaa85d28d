"""The full-text index of public subjects: title, keywords and description, accents folded and
each subject's words stemmed in its own language (French or English).

- PostgreSQL (production): two text search configurations, `portal_fr` and `portal_en`, copies of
  `french` and `english` whose words go through `unaccent` before the Snowball stemmer; a stored
  generated column, `public_subjects.search_vector`, of the expression `document()`, and a GIN
  index on it: nothing to keep in sync, and the rank reads the stored vector instead of
  rebuilding it for each match. The models do not name the column (SQLite has no tsvector).
- SQLite (the embedded default): an FTS5 table, `public_subject_search`, whose rowid is the
  subject's id. FTS5 stems English only (its porter tokenizer), so the text is folded and stemmed
  here, with the Snowball stemmers of `snowballstemmer` (the same algorithms as PostgreSQL's),
  and FTS5's `unicode61 remove_diacritics 2` tokenizer reads words already stemmed. Each flush
  that writes a subject writes its row (`_index_flushed`); a trigger removes it with the subject.

A query is stemmed in both languages, and matches a subject whose text has every word of either
stemming: the visitor does not say which language they type in. The index says which subjects
match; what may be shown is decided by `visibility` alone (an unpublished subject stays indexed).
"""

import re
from functools import cache

import snowballstemmer
from anyascii import anyascii
from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Session

from portal.catalogue.models import PublicSubject

TABLE = "public_subject_search"
#: The FTS5 table's own tables, which the models do not describe (Alembic must leave them alone).
SQLITE_TABLES = frozenset(
    {TABLE, *(f"{TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config"))}
)
PG_INDEX = "ix_public_subjects_search"
PG_COLUMN = "search_vector"
CONFIGURATIONS = {"fr": ("portal_fr", "french"), "en": ("portal_en", "english")}
LANGUAGES = tuple(CONFIGURATIONS)
_WORD = re.compile(r"[0-9a-z]+")


@cache
def _stemmer(language: str):
    return snowballstemmer.stemmer(CONFIGURATIONS[language][1])


def words(value: str) -> list[str]:
    """The words of `value`, accents and ligatures folded as `unaccent` does (é → e, œ → oe)."""
    return _WORD.findall(anyascii(value).casefold())


def stems(value: str, language: str) -> list[str]:
    return _stemmer(language).stemWords(words(value))


def _fields(title: str, content: dict) -> tuple[str, str, str]:
    content = content or {}
    return title or "", " ".join(content.get("keywords") or []), content.get("description") or ""


# --- PostgreSQL ------------------------------------------------------------------------------


def document() -> str:
    """The weighted tsvector of a subject in its language (title A, keywords B, description C)."""
    fields = (
        ("title", "A"),
        ("content ->> 'keywords'", "B"),
        ("content ->> 'description'", "C"),
    )

    def vector(configuration: str) -> str:
        return " || ".join(
            f"setweight(to_tsvector('{configuration}', coalesce({field}, '')), '{weight}')"
            for field, weight in fields
        )

    return f"(CASE WHEN language = 'en' THEN {vector('portal_en')} ELSE {vector('portal_fr')} END)"


def _create_postgresql(connection: Connection) -> None:
    # unaccent is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS unaccent")
    for configuration, base in CONFIGURATIONS.values():
        connection.exec_driver_sql(
            f"CREATE TEXT SEARCH CONFIGURATION {configuration} (COPY = pg_catalog.{base})"
        )
        connection.exec_driver_sql(
            f"ALTER TEXT SEARCH CONFIGURATION {configuration}"
            f" ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {base}_stem"
        )
    connection.exec_driver_sql(
        f"ALTER TABLE public_subjects ADD COLUMN {PG_COLUMN} tsvector"
        f" GENERATED ALWAYS AS ({document()}) STORED"
    )
    connection.exec_driver_sql(f"CREATE INDEX {PG_INDEX} ON public_subjects USING gin ({PG_COLUMN})")


def _drop_postgresql(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")
    connection.exec_driver_sql(f"ALTER TABLE public_subjects DROP COLUMN IF EXISTS {PG_COLUMN}")
    for configuration, _base in CONFIGURATIONS.values():
        connection.exec_driver_sql(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {configuration}")


# --- SQLite ----------------------------------------------------------------------------------


def _create_sqlite(connection: Connection) -> None:
    connection.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
        "title, keywords, description, tokenize = 'unicode61 remove_diacritics 2')"
    )
    connection.exec_driver_sql(
        f"CREATE TRIGGER {TABLE}_delete AFTER DELETE ON public_subjects"  # noqa: S608 (our own name)
        f" BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END"
    )


def _drop_sqlite(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TABLE}_delete")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")


def _write(connection: Connection, subjects) -> None:
    """Index each (id, title, language, content)."""
    rows = []
    for subject_id, title, language, content in subjects:
        language = language if language in CONFIGURATIONS else "fr"
        stemmed = (" ".join(stems(field, language)) for field in _fields(title, content))
        rows.append(dict(zip(("title", "keywords", "description"), stemmed, strict=True), id=subject_id))
    if rows:
        connection.execute(
            text(
                f"INSERT OR REPLACE INTO {TABLE} (rowid, title, keywords, description)"  # noqa: S608
                " VALUES (:id, :title, :keywords, :description)"
            ),
            rows,
        )


@event.listens_for(Session, "after_flush")
def _index_flushed(session: Session, _context) -> None:
    """Index, in the flush's own transaction, every subject it wrote (SQLite only)."""
    changed = [row for row in (*session.new, *session.dirty) if isinstance(row, PublicSubject)]
    if changed and session.connection().dialect.name == "sqlite":
        _write(session.connection(), [(row.id, row.title, row.language, row.content) for row in changed])


# --- Both ------------------------------------------------------------------------------------


def create(connection: Connection) -> None:
    """The index of this database's kind, filled from the subjects already there."""
    if connection.dialect.name == "postgresql":
        _create_postgresql(connection)
    elif connection.dialect.name == "sqlite":
        _create_sqlite(connection)
        table = PublicSubject.__table__
        existing = select(table.c.id, table.c.title, table.c.language, table.c.content)
        _write(connection, connection.execute(existing).all())


def drop(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        _drop_postgresql(connection)
    elif connection.dialect.name == "sqlite":
        _drop_sqlite(connection)


def not_in_models(name: str | None, type_: str, _parent_names) -> bool:
    """Alembic's `include_name`: False for the index's own objects, which the models do not hold."""
    return not (
        type_ == "table"
        and name in SQLITE_TABLES
        or type_ == "index"
        and name == PG_INDEX
        or type_ == "column"
        and name == PG_COLUMN
    )


# The tests build the schema with create_all: the index comes with the table, as in a migration.
event.listen(PublicSubject.__table__, "after_create", lambda _table, connection, **_kw: create(connection))
event.listen(PublicSubject.__table__, "before_drop", lambda _table, connection, **_kw: drop(connection))
