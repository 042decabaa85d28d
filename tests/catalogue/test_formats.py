"""The catalogue for machines: Atom feeds, JSON-LD and Open Graph, the sitemap and the JSON export,
each checked by a reader of its format, each showing the visible subjects only, none a private field."""

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from portal.catalogue.models import PublicationPolicy
from tests.catalogue import world as worlds
from tests.catalogue.world import CONTACT, PRIVATE

DOCS = Path(__file__).resolve().parents[2] / "docs"
HIDDEN = ("not funded", "unconsented", "withdrawn", "unpublished", "draft")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def world(app_context):
    return worlds.build()


def _formats(client, world) -> dict[str, str]:
    """Every format's answer for the world's call and initiative, as text."""
    urls = {
        "call feed": "/subjects/2021/feed.atom",
        "initiative feed": f"/subjects/initiatives/{world.initiative.acronym}/feed.atom",
        "json": "/subjects/subjects.json",
        "sitemap": "/sitemap.xml",
        "search": "/subjects/search?q=subject",
    }
    answers = {name: client.get(url) for name, url in urls.items()}
    for name, answer in answers.items():
        assert answer.status_code == 200, (name, answer.get_data(as_text=True)[:300])
    return {name: answer.get_data(as_text=True) for name, answer in answers.items()}


def _ids(world, names) -> set[str]:
    return {world.url(name) for name in names if world.subject(name) is not None}


@pytest.mark.parametrize("policy", [PublicationPolicy.funded_and_waiting, PublicationPolicy.all_submitted])
def test_no_format_shows_a_hidden_subject_or_a_private_field(client, app_context, policy):
    world = worlds.build(policy=policy)
    hidden = HIDDEN if policy is PublicationPolicy.funded_and_waiting else HIDDEN[1:]
    for name, text in _formats(client, world).items():
        assert "Subject funded" in text or world.url("funded") in text, name
        for state in hidden:
            assert f"Subject {state}" not in text, (name, state)
        for url in _ids(world, [state.replace(" ", "_") for state in hidden]):
            assert re.search(re.escape(url) + r"(?![0-9])", text) is None, (name, url)
        for private in PRIVATE:
            assert private not in text, (name, private)
        assert "Not funded" not in text and "not_funded" not in text, name


def test_the_call_feed_is_valid_atom_of_its_visible_subjects(client, world):
    answer = client.get("/subjects/2021/feed.atom?lang=en")
    assert answer.mimetype == "application/atom+xml"
    feed = feedparser.parse(answer.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == f"Thesis subjects of {world.campaign.name}"
    assert feed.feed.links[0].rel == "self"
    entries = {entry.title: entry for entry in feed.entries}
    assert set(entries) == {"Subject funded", "Subject waiting"}
    funded = entries["Subject funded"]
    assert funded.link == "http://localhost" + world.url("funded")
    assert funded.id == funded.link and funded.updated_parsed
    assert funded.author == "Sylvain LAMPRIER"
    assert [tag.term for tag in funded.tags] == ["deep learning", "generalization"]
    assert "Funded" in funded.summary
    assert "Waiting list" in entries["Subject waiting"].summary
    # The structure RFC 4287 requires: a feed's id, title, updated; each entry's id, title, updated.
    root = ET.fromstring(answer.get_data())  # noqa: S314 (our own answer)
    atom = "{http://www.w3.org/2005/Atom}"
    assert all(root.find(atom + tag) is not None for tag in ("id", "title", "updated", "author"))
    for entry in root.findall(atom + "entry"):
        assert all(entry.find(atom + tag) is not None for tag in ("id", "title", "updated", "link"))


def test_the_initiative_feed_and_unknown_feeds(client, world):
    feed = feedparser.parse(
        client.get(f"/subjects/initiatives/{world.initiative.acronym}/feed.atom").get_data()
    )
    assert not feed.bozo and {entry.title for entry in feed.entries} == {"Subject funded", "Subject waiting"}
    assert client.get("/subjects/1999/feed.atom").status_code == 404
    assert client.get("/subjects/initiatives/NOPE/feed.atom").status_code == 404


def test_the_json_export_follows_its_schema_and_is_a_subset_of_prd_1(client, world):
    answer = client.get("/subjects/subjects.json")
    document = answer.get_json()
    schema = json.loads((DOCS / "public.schema.json").read_text())
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(document))
    assert errors == []
    prd = json.loads((DOCS / "prd.schema.json").read_text())["properties"]
    for subject in document["subjects"]:
        assert set(subject) - {"public"} <= set(prd)
        assert set(subject["director"]) <= set(prd["director"]["properties"])
    subjects = {subject["title"]: subject for subject in document["subjects"]}
    assert set(subjects) == {"Subject funded", "Subject waiting"}
    funded = subjects["Subject funded"]["public"]
    assert funded["outcome"] == "funded" and funded["contact_email"] == CONTACT
    assert funded["figures"] == [
        {"name": "model", "url": f"http://localhost{world.url('funded')}/figures/model"}
    ]
    assert subjects["Subject waiting"]["public"]["outcome"] == "waiting_list"
    assert "contact_email" not in subjects["Subject waiting"]["public"]


def test_the_json_export_takes_the_search_filters(client, world):
    school = world.subject("waiting").content["doctoral_school"]["number"]
    document = client.get(f"/subjects/subjects.json?school={school}&outcome=waiting_list").get_json()
    assert [subject["title"] for subject in document["subjects"]] == ["Subject waiting"]
    refused = client.get("/subjects/subjects.json?call=1999")
    assert refused.status_code == 400 and "call" in refused.get_json()["errors"]
    assert client.get("/subjects/subjects.json?page=2").status_code == 404


def test_the_sitemap_lists_the_home_the_call_and_the_visible_subjects(client, world):
    root = ET.fromstring(client.get("/sitemap.xml").get_data())  # noqa: S314 (our own answer)
    locations = [url.findtext(SITEMAP + "loc") for url in root.findall(SITEMAP + "url")]
    assert locations == [
        "http://localhost/subjects/",
        "http://localhost/subjects/2021/",
        *sorted(
            ("http://localhost" + world.url(name) for name in ("funded", "waiting")),
            key=lambda url: int(url.rsplit("/", 1)[1]),
        ),
    ]
    assert all(url.findtext(SITEMAP + "lastmod") for url in root.findall(SITEMAP + "url")[1:])


def test_a_subject_page_has_json_ld_open_graph_and_its_feeds(client, world):
    html = client.get(world.url("funded") + "?lang=fr").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "JobPosting" and data["title"] == "Subject funded"
    assert data["url"] == "http://localhost" + world.url("funded")
    assert data["hiringOrganization"]["name"].startswith(world.initiative.acronym)
    for private in PRIVATE:
        assert private not in json.dumps(data)
    assert '<meta property="og:title" content="Subject funded">' in html
    assert '<meta property="og:locale" content="fr_FR">' in html
    assert 'type="application/atom+xml" href="/subjects/2021/feed.atom?lang=fr"' in html
    assert f'href="/subjects/initiatives/{world.initiative.acronym}/feed.atom?lang=fr"' in html


@pytest.mark.parametrize(
    "url",
    ["/subjects/2021/feed.atom", "/subjects/subjects.json", "/sitemap.xml", "/subjects/search?q=subject"],
)
def test_formats_are_cacheable_and_answer_304(client, world, url):
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, max-age=300"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
