"""Search of the visible subjects: full text (`search_index`), filters, relevance then date, pages.

Everything starts from `visibility.visible_subjects`: the index only narrows and ranks it.
"""

from dataclasses import dataclass

from sqlalchemy import Select, func, literal_column, or_, select, table
from sqlalchemy.sql.elements import ColumnElement

from portal.catalogue import search_index
from portal.catalogue.models import PublicSubject
from portal.catalogue.visibility import Visible, as_visible, visible_subjects
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign
from portal.reviews.models import Outcome

#: Longest query read, in characters, and most words of it used: a query is a few words.
MAX_QUERY = 200
MAX_WORDS = 12
#: bm25's weights of the FTS5 columns (title, keywords, description), as PostgreSQL's A, B, C.
_SQLITE_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass(frozen=True)
class Filters:
    """What the visitor narrowed the list to; None is "any"."""

    year: int | None = None
    initiative_id: int | None = None
    school: str | None = None  # a doctoral school's number, "ED130"
    unit: str | None = None  # a research unit's canonical code, "UMR7606"
    language: str | None = None
    outcome: Outcome | None = None


@dataclass(frozen=True)
class Results:
    rows: list[Visible]
    total: int
    page: int
    pages: int


def _json_text(*path: str) -> ColumnElement:
    return PublicSubject.content[path].as_string()


def _unit_code(person: str) -> ColumnElement:
    # The content keeps the code as typed ("UMR 7606", "umr-7606"); compare canonical forms.
    code = func.upper(_json_text(person, "unit", "code"))
    return func.replace(func.replace(code, " ", ""), "-", "")


def filtered(statement: Select, filters: Filters) -> Select:
    """`statement` (built on `visible_subjects`) narrowed to `filters`."""
    if filters.year is not None:
        statement = statement.where(Campaign.year == filters.year)
    if filters.initiative_id is not None:
        statement = statement.where(Proposal.initiative_id == filters.initiative_id)
    if filters.school:
        statement = statement.where(_json_text("doctoral_school", "number") == filters.school)
    if filters.unit:
        statement = statement.where(
            or_(*(_unit_code(person) == filters.unit for person in ("director", "co_supervisor")))
        )
    if filters.language:
        statement = statement.where(PublicSubject.language == filters.language)
    if filters.outcome is not None:
        statement = statement.where(statement.selected_columns.outcome == filters.outcome)
    return statement


def _terms(query: str) -> dict[str, list[str]]:
    """The query's words stemmed in each language, the first MAX_WORDS of them."""
    words = search_index.words(query[:MAX_QUERY])[:MAX_WORDS]
    stemmed = {language: search_index.stems(" ".join(words), language) for language in search_index.LANGUAGES}
    return stemmed if words else {}


def _matching_sqlite(statement: Select, terms: dict[str, list[str]]) -> tuple[Select, ColumnElement]:
    fts = table(search_index.TABLE, literal_column("rowid"))
    groups = dict.fromkeys(" AND ".join(f'"{stem}"' for stem in stems) for stems in terms.values())
    expression = " OR ".join(f"({group})" for group in groups)
    fts_name = literal_column(search_index.TABLE)
    statement = statement.join(fts, literal_column(f"{search_index.TABLE}.rowid") == PublicSubject.id).where(
        fts_name.op("MATCH")(expression)
    )
    return statement, func.bm25(fts_name, *_SQLITE_WEIGHTS)  # lower is better


def _matching_postgresql(statement: Select, query: str) -> tuple[Select, ColumnElement]:
    document = literal_column(f"{PublicSubject.__tablename__}.{search_index.PG_COLUMN}")
    tsquery = None
    for language in search_index.LANGUAGES:
        configuration = literal_column(f"'{search_index.CONFIGURATIONS[language][0]}'::regconfig")
        one = func.plainto_tsquery(configuration, query)
        tsquery = one if tsquery is None else tsquery.op("||")(one)
    return statement.where(document.op("@@")(tsquery)), -func.ts_rank(document, tsquery)


def matching(statement: Select, query: str) -> tuple[Select, ColumnElement | None]:
    """`statement` narrowed to the subjects matching `query`, and their rank (ascending = best);
    no rank when the query has no word."""
    terms = _terms(query)
    if not terms:
        return statement, None
    if db.session.get_bind().dialect.name == "postgresql":
        words = " ".join(search_index.words(query[:MAX_QUERY])[:MAX_WORDS])
        return _matching_postgresql(statement, words)
    return _matching_sqlite(statement, terms)


def search(*, query: str, filters: Filters, page: int, size: int) -> Results | None:
    """One page of the visible subjects matching `query` and `filters`, the most relevant first,
    then the most recently published; None when `page` is past the last one."""
    statement, rank = matching(filtered(visible_subjects(), filters), query)
    order = [] if rank is None else [rank]
    order += [PublicSubject.revised_at.desc(), PublicSubject.id.desc()]
    page_of = statement.order_by(*order).limit(size).offset((page - 1) * size)
    if db.session.get_bind().dialect.name == "postgresql":
        # The count rides on the page's own query: ranking already visits every match.
        rows = db.session.execute(page_of.add_columns(func.count().over().label("total"))).all()
        total = rows[0].total if rows else None
    else:
        # FTS5's rank cannot sit beside a window function; the embedded database is small.
        rows = db.session.execute(page_of).all()
        total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    if not rows and page > 1:
        return None
    total = total or 0
    return Results(
        rows=[as_visible(row[:4]) for row in rows], total=total, page=page, pages=max(1, -(-total // size))
    )
