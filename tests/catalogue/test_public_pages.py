"""The public pages, read by a visitor who is not signed in, for every state of a subject."""

import pytest

from tests.catalogue import world as worlds
from tests.catalogue.world import CONTACT, PRIVATE


@pytest.fixture
def world(app_context):
    return worlds.build()


def test_the_list_shows_the_published_subjects_only(client, world):
    page = client.get("/subjects/2021/?lang=en")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Subject funded" in html and "Subject waiting" in html
    for hidden in ("not funded", "unconsented", "withdrawn", "unpublished", "draft"):
        assert f"Subject {hidden}" not in html
    assert "Waiting list" in html and "Funded" in html
    for private in PRIVATE:
        assert private not in html
    assert "Set-Cookie" not in page.headers


def test_a_subject_page_shows_what_the_public_may_know(client, world):
    page = client.get(world.url("funded"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200, html[:500]
    assert '<html lang="en">' in html
    assert "Subject funded" in html and "Sylvain LAMPRIER" in html and "UMR7606" in html
    assert CONTACT in html
    for private in PRIVATE:
        assert private not in html
    assert page.headers["Cache-Control"].startswith("public") or page.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("name", ["not_funded", "withdrawn", "unpublished", "draft"])
def test_hidden_subjects_answer_404(client, world, name):
    assert client.get(world.url(name)).status_code == 404
    assert client.get(world.url(name, "/figures/model")).status_code == 404
