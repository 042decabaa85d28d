"""Full-text search of the visible subjects, on SQLite's FTS5 and PostgreSQL's text search alike."""

import pytest

from portal.catalogue.models import PublicationPolicy
from portal.catalogue.search import Filters, search
from portal.extensions import db
from portal.reviews.models import Outcome
from tests.catalogue import world as worlds

FRENCH = "Pourquoi les réseaux profonds généralisent-ils ? L’œuvre de la descente de gradient."
ENGLISH = "Message passing networks that respect the symmetries of molecules."


def _titles(query: str = "", size: int = 20, page: int = 1, **filters) -> list[str] | None:
    results = search(query=query, filters=Filters(**filters), page=page, size=size)
    return None if results is None else [row.subject.title.removeprefix("Subject ") for row in results.rows]


def _retext(world, name: str, *, language: str, description: str, title: str | None = None) -> None:
    subject = world.subject(name)
    subject.language = subject.content["language"] = language
    subject.content = dict(subject.content, language=language, description=description)
    if title is not None:
        subject.title = title
    db.session.commit()


@pytest.fixture
def world(app_context):
    world = worlds.build(policy=PublicationPolicy.all_submitted)
    _retext(world, "funded", language="fr", description=FRENCH)
    _retext(world, "waiting", language="en", description=ENGLISH)
    return world


def test_words_with_or_without_accents_stemmed_in_their_subject_s_language(world):
    for query in ("réseau", "RESEAUX", "reseaux", "généralisent", "generalisent", "oeuvre"):
        assert _titles(query) == ["funded"], query
    for query in ("symmetry", "Molecule", "network passed"):
        assert _titles(query) == ["waiting"], query


def test_every_word_must_match_and_nothing_hidden_is_found(world):
    # Every subject, hidden ones included, says "gradient" in its description or not at all.
    assert _titles("descente gradient") == ["funded"]
    assert _titles("descente molecules") == []
    assert set(_titles("loss studied")) == {"not funded"}  # the other visible one; none hidden
    assert _titles("'!?") == _titles("")  # no word: every visible subject


def test_relevance_first_then_the_latest(world):
    _retext(world, "not_funded", language="en", description="Symmetries.", title="Symmetry of molecules")
    assert _titles("symmetry molecules") == ["Symmetry of molecules", "waiting"]
    # Without a query: the latest public text first.
    assert _titles()[0] == "Symmetry of molecules"


def test_filters(world):
    assert _titles(language="en", size=5) == ["not funded", "waiting"]
    assert _titles(outcome=Outcome.funded) == ["funded"]
    assert _titles("réseaux", year=world.campaign.year + 1) == []
    assert len(_titles(initiative_id=world.initiative.id)) == 3
    assert _titles(initiative_id=world.initiative.id + 1) == []
    # This call publishes every submitted subject and names no waiting list.
    assert _titles(outcome=Outcome.waiting_list) == []
    school = world.subject("funded").content["doctoral_school"]["number"]
    assert _titles(school=school) == ["funded"]  # each director has a school of their own
    assert _titles(school="ED999") == []
    assert len(_titles(unit="UMR7606")) == 3
    assert _titles(unit="UMR8001") == []


def test_pages(world):
    assert len(_titles(size=2)) == 2
    assert len(_titles(size=2, page=2)) == 1
    assert _titles(size=2, page=3) is None


def test_a_correction_is_searched_at_once(world):
    world.correct("funded", by=world.staff, keywords=["optimisation"], description="Les chaînes de Markov.")
    assert _titles("chaine markov") == ["funded"]
    assert _titles("optimisation") == ["funded"]
    assert _titles("réseaux") == []
