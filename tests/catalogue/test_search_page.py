"""The search page, as a visitor who is not signed in uses it: a GET form, no script."""

import pytest

from tests.catalogue import world as worlds
from tests.catalogue.world import PRIVATE


@pytest.fixture
def world(app_context):
    return worlds.build()


def test_the_catalogue_s_home_has_a_search_box_that_finds_visible_subjects_only(client, world):
    home = client.get("/subjects/?lang=en").get_data(as_text=True)
    assert '<form method="get" action="/subjects/search"' in home and 'name="q"' in home
    page = client.get("/subjects/search?lang=en&q=Subjects+studied")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 subjects found" in html
    assert "Subject funded" in html and "Subject waiting" in html
    for hidden in ("not funded", "unconsented", "withdrawn", "unpublished", "draft"):
        assert f"Subject {hidden}" not in html
    for private in PRIVATE:
        assert private not in html
    assert 'value="Subjects studied"' in html  # the words stay in the box
    assert "Set-Cookie" not in page.headers


def test_filters_narrow_and_an_empty_search_says_so(client, world):
    html = client.get("/subjects/search?lang=en&outcome=waiting_list").get_data(as_text=True)
    assert "1 subject found" in html and "Subject waiting" in html and "Subject funded" not in html
    assert '<option selected value="waiting_list">' in html
    html = client.get("/subjects/search?lang=fr&q=zzzz").get_data(as_text=True)
    assert "Aucun sujet publié ne correspond à cette recherche." in html


def test_bad_input_is_refused_next_to_its_field_and_kept(client, world):
    page = client.get("/subjects/search?lang=en&q=" + "a" * 201 + "&call=1999")
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="q-error"' in html and "200 characters" in html
    assert 'id="call-error"' in html and "Not a valid choice" in html
    assert 'value="' + "a" * 201 + '"' in html
    assert "Subject funded" not in html


@pytest.mark.parametrize("page", ["0", "2", "10001"])
def test_pages_out_of_bounds_answer_404(client, world, page):
    assert client.get(f"/subjects/search?q=subject&page={page}").status_code == 404
