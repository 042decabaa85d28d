"""A review that can no longer change says why: the decisions are published, or the deadline passed."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.extensions import db
from portal.reviews.reviewing import CLOSED_DEADLINE, CLOSED_PUBLISHED, closed_reason
from tests.reviews.reviewer_data import desk as make_desk


@pytest.fixture
def desk(app_context):
    return make_desk()


def test_after_publication_the_review_says_the_decisions_are_published_not_the_deadline(desk, client):
    client.sign_in_user(desk.reviewer)
    client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    # Weeks before the review deadline, the decisions are published (early, by staff).
    desk.committee.review_deadline = utcnow() + timedelta(weeks=3)
    desk.committee.decisions_published_at = utcnow()
    db.session.commit()
    html = client.get(desk.review_path).get_data(as_text=True)
    assert "The decisions are published: the review is read-only." in html
    assert "deadline has passed" not in html and 'name="action"' not in html
    # A tab left open on the form: the save is refused, and the page says why.
    late = desk.complete_form(base_version="2", comments_committee="Too late.")
    response = client.submit(desk.review_path, late, page="/reviews/")
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The decisions are published: your changes were not saved" in text
    assert "deadline has passed" not in text


def test_the_reason_follows_the_committee(desk):
    committee, now = desk.committee, utcnow()
    assert closed_reason(committee, now) is None
    committee.review_deadline = now - timedelta(minutes=1)
    assert closed_reason(committee, now) == CLOSED_DEADLINE
    committee.decisions_published_at = now
    assert closed_reason(committee, now) == CLOSED_PUBLISHED
