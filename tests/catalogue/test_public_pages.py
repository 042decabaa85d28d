"""The public pages, read by a visitor who is not signed in, for every state of a subject."""

import pytest

from portal.catalogue.models import PublicationPolicy
from tests.catalogue import world as worlds
from tests.catalogue.world import CONTACT, PRIVATE


@pytest.fixture
def world(app_context):
    return worlds.build()


def _private_in(html: str) -> list[str]:
    return [private for private in (*PRIVATE, "Not funded", "Non financé") if private in html]


@pytest.mark.parametrize("policy", [PublicationPolicy.funded_and_waiting, PublicationPolicy.all_submitted])
def test_no_private_field_on_any_public_page_in_any_language(app_context, client, policy):
    world = worlds.build(policy=policy)
    shown = ["funded", "waiting"] + (["not_funded"] if policy is PublicationPolicy.all_submitted else [])
    for language in ("fr", "en"):
        pages = [f"/subjects/?lang={language}", f"/subjects/2021/?lang={language}"]
        pages += [world.url(name, f"?lang={language}") for name in shown]
        for path in pages:
            page = client.get(path)
            html = page.get_data(as_text=True)
            assert page.status_code == 200, path
            assert _private_in(html.replace(CONTACT, "")) == [], path
            assert "Set-Cookie" not in page.headers  # nothing personal: any cache may keep it
    listed = client.get("/subjects/2021/?lang=en").get_data(as_text=True)
    for name in shown:
        assert f"Subject {name.replace('_', ' ')}" in listed
    for hidden in ("unconsented", "withdrawn", "unpublished", "draft"):
        assert f"Subject {hidden}" not in listed


@pytest.mark.parametrize("name", ["not_funded", "withdrawn", "unpublished", "draft"])
def test_hidden_subjects_and_their_figures_answer_404(client, world, name):
    assert client.get(world.url(name)).status_code == 404
    assert client.get(world.url(name, "/figures/model")).status_code == 404


def test_a_subject_page_shows_what_the_public_may_know(client, world):
    page = client.get(world.url("funded"))
    html = page.get_data(as_text=True)
    assert '<html lang="en">' in html  # the subject's own language, without ?lang=
    assert "<title>Subject funded · AAP 2021 · PRD Portal</title>" in html
    assert '<meta name="description" content="Doctoral research project' in html
    assert "Sylvain LAMPRIER" in html and "Assistant Professor" in html and "UMR7606" in html
    assert "SCAI – Initiative SCAI" in html and "deep learning, generalization" in html
    assert (
        'class="math' in html and "<table>" in html and "<figcaption>Figure 1: the model</figcaption>" in html
    )
    assert f'src="{world.url("funded", "/figures/model")}"' in html
    assert f'href="mailto:{CONTACT}"' in html and "Funded" in html
    figure = client.get(world.url("funded", "/figures/model"))
    assert figure.status_code == 200 and figure.mimetype == "image/png"
    assert client.get(world.url("funded", "/figures/other")).status_code == 404
    assert client.get(f"/subjects/2022/{world.subject('funded').id}").status_code == 404


def test_the_language_switch_keeps_the_page(client, world):
    html = client.get(world.url("funded", "?lang=fr")).get_data(as_text=True)
    assert '<html lang="fr">' in html and "Comment candidater" in html
    assert '<h1 lang="en">Subject funded</h1>' in html  # the text keeps its own language
    assert f'href="{world.url("funded", "?lang=en")}"' in html
    listing = client.get("/subjects/2021/?lang=fr&page=1").get_data(as_text=True)
    assert 'href="/subjects/2021/?page=1&amp;lang=en"' in listing


def test_pages_are_cacheable_and_answer_304(client, world):
    first = client.get(world.url("funded"))
    assert first.headers["Cache-Control"] == "public, max-age=300"
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = client.get(world.url("funded"), headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get(world.url("funded"), headers={"If-Modified-Since": modified}).status_code == 304
    other_language = client.get(world.url("funded", "?lang=fr"), headers={"If-None-Match": etag})
    assert other_language.status_code == 200
    listing = client.get("/subjects/2021/")
    assert "Accept-Language" in listing.headers["Vary"]  # its language came from the browser
    assert (
        client.get("/subjects/2021/", headers={"If-None-Match": listing.headers["ETag"]}).status_code == 304
    )


def test_signed_in_readers_get_no_store(client, world):
    client.sign_in_user(world.staff)
    page = client.get(world.url("funded"))
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "ETag" not in page.headers


def test_a_correction_changes_the_etag(client, world):
    etag = client.get(world.url("funded")).headers["ETag"]
    world.correct("funded", title="New title", keywords=["x"])
    assert client.get(world.url("funded"), headers={"If-None-Match": etag}).status_code == 200


def test_pages_are_listed_by_page_and_bounded(client, world, app):
    app.config["PUBLIC_PAGE_SIZE"] = 1
    first = client.get("/subjects/2021/?lang=en").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/subjects/2021/?lang=en&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
    assert client.get("/subjects/2021/?page=3").status_code == 404
    assert client.get("/subjects/2021/?page=0").status_code == 404
    assert client.get("/subjects/1999/").status_code == 404


@pytest.mark.parametrize("config_overrides", [{"PUBLIC_RATE_LIMIT": "3 per minute"}])
def test_public_pages_are_rate_limited_per_address(client, world):
    for _ in range(3):
        assert client.get("/subjects/").status_code == 200
    refused = client.get(world.url("funded"))
    assert refused.status_code == 429 and "public" not in refused.headers.get("Cache-Control", "")
