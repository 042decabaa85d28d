"""The catalogue stamp and the pages kept whole: fast for anonymous visitors, never stale."""

from datetime import timedelta

import pytest
from sqlalchemy import event

from portal.catalogue import stamp
from portal.catalogue.services import unpublish
from portal.db import utcnow
from portal.extensions import db
from tests.catalogue import world as worlds

FORMATS = ("", "/subjects/2021/", "/subjects/2021/feed.atom", "/subjects/subjects.json", "/sitemap.xml")


@pytest.fixture
def world(app_context):
    return worlds.build()


def _statements(app):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_a_304_or_a_kept_page_costs_one_query_and_sets_no_cookie(app, client, world, task_worker):
    client.get(world.url("funded"))
    task_worker.wait_idle()  # its text formatted: the page is final, and kept
    url = world.url("funded")
    first = client.get(url)
    assert first.status_code == 200
    seen, stop = _statements(app)
    try:
        again = client.get(url)
        current = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    finally:
        stop()
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert current.status_code == 304 and current.headers["Cache-Control"] == "public, max-age=300"
    assert len(seen) == 2  # the stamp, once per request
    assert "Set-Cookie" not in again.headers and "Set-Cookie" not in current.headers


@pytest.mark.parametrize("address", FORMATS)
def test_an_unpublished_subject_leaves_every_format_at_once(client, world, address):
    url = address or world.url("funded")
    marker = world.url("funded") if address == "/sitemap.xml" else "Subject funded"
    before = client.get(url)
    assert before.status_code == 200 and marker in before.get_data(as_text=True)
    unpublish(subject=world.subject("funded"), reason="Asked by the director", by=world.staff)
    db.session.commit()
    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    if address:
        assert after.status_code == 200 and marker not in after.get_data(as_text=True)
    else:
        assert after.status_code == 404


def test_a_correction_shows_at_once_on_the_kept_pages(client, world):
    assert "Subject funded" in client.get("/subjects/2021/?lang=en").get_data(as_text=True)
    world.correct("funded", title="Corrected title", keywords=["x"])
    listing = client.get("/subjects/2021/?lang=en").get_data(as_text=True)
    assert "Corrected title" in listing and "Subject funded" not in listing


def test_the_stamp_changes_with_what_the_public_sees_and_with_time(world):
    before = stamp.current()
    world.subject("waiting").proposal.title = "A draft's new title"  # not a public column
    db.session.commit()
    assert stamp.current() == before
    world.campaign.closes_at = utcnow() + timedelta(days=3)
    db.session.commit()
    moved = stamp.current()
    assert moved != before and moved.endswith(world.campaign.closes_at.isoformat())
