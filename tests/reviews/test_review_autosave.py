"""The review form's autosave: a draft kept as it is typed, a stale save refused with nothing lost,
every field's bound checked, a submitted or closed review left alone."""

import re
from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.extensions import db
from portal.reviews.models import ReviewState
from portal.reviews.reviewer_forms import COMMENT_LIMIT
from tests.reviews.reviewer_data import desk as make_desk


@pytest.fixture
def desk(app_context, client):
    desk = make_desk()
    client.sign_in_user(desk.reviewer)
    return desk


def _autosave(client, desk, **fields):
    return client.submit(f"{desk.review_path}/autosave", fields, page=desk.review_path)


def _review(desk):
    db.session.expire_all()
    return desk.assignment.review


def test_the_form_autosaves_and_says_when_in_the_reader_s_language(desk, client):
    html = client.get(desk.review_path).get_data(as_text=True)
    assert f'data-autosave="{desk.review_path}/autosave"' in html
    assert 'id="save-status" role="status" aria-live="polite"' in html and "js/autosave.js" in html

    first = desk.committee.criteria[0]
    response = _autosave(
        client, desk, base_version="1", comments_committee="Half a thought", **{f"mark_{first.id}": "3"}
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "saved" and re.fullmatch(r"Saved at \d\d:\d\d", answer["message"])
    review = _review(desk)
    assert answer["version"] == review.version
    assert review.state is ReviewState.draft
    assert review.comments_committee == "Half a thought" and review.marks == {str(first.id): "3"}
    # The next autosave starts from the version it was given; the page shows when it was saved.
    again = _autosave(
        client, desk, base_version=str(answer["version"]), comments_committee="A whole thought."
    )
    assert again.status_code == 200 and _review(desk).comments_committee == "A whole thought."
    assert "Last saved" in client.get(desk.review_path).get_data(as_text=True)

    client.submit("/language", {"language": "fr"}, page="/")
    french = _autosave(
        client, desk, base_version=str(again.get_json()["version"]), comments_committee="Fini."
    )
    assert re.fullmatch(r"Enregistré à \d\d:\d\d", french.get_json()["message"])


def test_a_stale_autosave_is_refused_and_the_save_button_shows_both_texts(desk, client, other_client):
    other_client.sign_in_user(desk.reviewer)
    assert _autosave(client, desk, base_version="1", comments_committee="First.").status_code == 200
    version = _review(desk).version
    # Another window saves meanwhile.
    assert (
        _autosave(
            other_client, desk, base_version=str(version), comments_committee="From the laptop."
        ).status_code
        == 200
    )

    response = _autosave(client, desk, base_version=str(version), comments_committee="From the phone.")
    assert response.status_code == 409
    assert response.get_json()["status"] == "conflict"
    assert "press “Save draft” to compare the two" in response.get_json()["message"]
    assert _review(desk).comments_committee == "From the laptop."
    # Pressing the button, as the message says: both texts side by side, nothing lost.
    page = client.submit(
        desk.review_path, desk.complete_form(base_version=str(version), comments_committee="From the phone.")
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 409 and "From the laptop." in html and "From the phone." in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("comments_committee", "x" * (COMMENT_LIMIT + 1), "longer than 20000 characters"),
        ("comments_applicant", "x" * (COMMENT_LIMIT + 1), "longer than 20000 characters"),
        ("recommendation", "overwhelming", "Not a valid choice"),
        ("confidence", "9", "Not a valid choice"),
        ("mark", "6", "Not a valid choice"),
    ],
)
def test_each_bound_is_checked_with_the_message_for_its_field(desk, client, field, value, message):
    name = f"mark_{desk.committee.criteria[0].id}" if field == "mark" else field
    response = _autosave(client, desk, **{"base_version": "1", "comments_applicant": "Kept?", name: value})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["status"] == "invalid" and answer["field"] == name and message in answer["message"]
    assert desk.assignment.review is None or _review(desk).comments_committee == ""


def test_a_submitted_review_changes_only_by_its_button(desk, client):
    client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    version = str(_review(desk).version)
    assert "data-autosave" not in client.get(desk.review_path).get_data(as_text=True)
    response = _autosave(client, desk, **desk.complete_form(base_version=version, comments_committee="Live?"))
    assert response.status_code == 409 and response.get_json()["status"] == "locked"
    assert _review(desk).comments_committee == "Solid plan."


def test_after_the_deadline_nothing_is_autosaved(desk, client):
    assert _autosave(client, desk, base_version="1", comments_committee="In time.").status_code == 200
    desk.committee.review_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = _autosave(client, desk, base_version=str(_review(desk).version), comments_committee="Late.")
    assert response.status_code == 409
    assert (
        response.get_json()["message"]
        == "The review deadline has passed: the review can no longer be changed."
    )
    assert _review(desk).comments_committee == "In time."


def test_only_the_assigned_reviewer_autosaves(desk, client, other_client):
    from tests.reviews.reviewer_data import member

    stranger = member(desk.committee)
    other_client.sign_in_user(stranger)
    response = _autosave(other_client, desk, base_version="1", comments_committee="Not mine.")
    assert response.status_code == 404
    assert desk.assignment.review is None
