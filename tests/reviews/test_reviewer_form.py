"""The review form: built from the rubric, drafts, stale saves, submission, the deadline."""

from datetime import timedelta

import pytest

from portal.db import utcnow
from portal.extensions import db
from portal.reviews.models import Recommendation, ReviewState, Scale
from portal.reviews.reviewer_forms import review_form_class
from portal.reviews.rubric import CriterionRow, set_criteria
from tests.reviews.reviewer_data import desk as make_desk


@pytest.fixture
def desk(app_context):
    return make_desk()


def _review(desk):
    db.session.expire_all()
    return desk.assignment.review


def test_the_form_is_built_from_the_committee_rubric(app, app_context, client):
    desk = make_desk()
    set_criteria(
        committee=desk.committee,
        rows=[
            CriterionRow("Originalité", "Originality", "Est-ce neuf ?", "Is it new?", Scale.a_to_d),
            CriterionRow("Faisabilité", "Feasibility", scale=Scale.one_to_ten),
        ],
    )
    db.session.commit()
    originality, feasibility = desk.committee.criteria
    with app.test_request_context():
        form = review_form_class(desk.committee, "fr")(formdata=None)
        assert form[f"mark_{originality.id}"].label.text == "Originalité"
        assert [choice.value for choice in form[f"mark_{originality.id}"].choices] == ["", "A", "B", "C", "D"]
        assert len(form[f"mark_{feasibility.id}"].choices) == 11

    client.sign_in_user(desk.reviewer)
    html = client.get(desk.review_path).get_data(as_text=True)
    assert "Originality" in html and "Is it new?" in html and "Feasibility" in html
    assert f'name="mark_{originality.id}"' in html and '<option value="D">D</option>' in html

    desk.reviewer.locale = "fr"
    db.session.commit()
    html = client.get(desk.review_path).get_data(as_text=True)
    assert "Originalité" in html and "Est-ce neuf ?" in html and "Originality" not in html


def test_a_draft_is_saved_at_any_time(desk, client):
    client.sign_in_user(desk.reviewer)
    first = desk.committee.criteria[0]
    response = client.submit(
        desk.review_path, {"base_version": "1", f"mark_{first.id}": "2", "comments_committee": "Half done."}
    )
    assert response.status_code == 302
    review = _review(desk)
    assert review.state is ReviewState.draft
    assert review.marks == {str(first.id): "2"} and review.comments_committee == "Half done."
    page = client.get("/reviews/").get_data(as_text=True)
    assert "Draft" in page and "0 of 1 submitted" in page


def test_a_save_based_on_an_old_version_is_refused_and_both_texts_are_shown(desk, client, other_client):
    client.sign_in_user(desk.reviewer)
    other_client.sign_in_user(desk.reviewer)
    client.submit(desk.review_path, desk.complete_form(base_version="1", comments_committee="First text."))
    version = _review(desk).version
    # Another window saves meanwhile.
    saved = desk.complete_form(base_version=str(version), comments_committee="Saved from the laptop.")
    assert other_client.submit(desk.review_path, saved).status_code == 302

    typed = desk.complete_form(base_version=str(version), comments_committee="Typed on the phone.")
    response = client.submit(desk.review_path, typed)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Saved from the laptop." in html and "Typed on the phone." in html
    assert "saved meanwhile" in html
    assert _review(desk).comments_committee == "Saved from the laptop."
    # The page now carries the saved version: saving again goes through.
    assert f'name="base_version" type="hidden" value="{_review(desk).version}"' in html
    again = desk.complete_form(base_version=str(_review(desk).version), comments_committee="Merged.")
    assert client.submit(desk.review_path, again).status_code == 302
    assert _review(desk).comments_committee == "Merged."


def test_an_incomplete_submission_shows_each_problem_next_to_its_field(desk, client):
    client.sign_in_user(desk.reviewer)
    first = desk.committee.criteria[0]
    data = desk.complete_form(base_version="1", action="submit", confidence="", comments_committee="Kept.")
    data[f"mark_{first.id}"] = ""
    response = client.submit(desk.review_path, data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="mark_{first.id}-error">Give a mark for this criterion.' in html
    assert 'id="confidence-error">Say how confident you are.' in html
    assert "recommendation-error" not in html
    review = _review(desk)
    assert review.state is ReviewState.draft and review.comments_committee == "Kept."


def test_a_submitted_review_can_be_changed_until_the_deadline(desk, client):
    client.sign_in_user(desk.reviewer)
    response = client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    assert response.status_code == 302
    review = _review(desk)
    assert review.state is ReviewState.submitted and review.submitted_at is not None
    assert "1 of 1 submitted" in client.get("/reviews/").get_data(as_text=True)

    changed = desk.complete_form(base_version=str(review.version), recommendation="strong_accept")
    assert client.submit(desk.review_path, changed).status_code == 302
    review = _review(desk)
    assert review.state is ReviewState.submitted and review.recommendation is Recommendation.strong_accept

    # A submitted review must stay complete: an emptied field is refused, nothing saved.
    emptied = desk.complete_form(base_version=str(review.version), recommendation="", comments_committee="X")
    response = client.submit(desk.review_path, emptied)
    assert response.status_code == 422
    assert 'id="recommendation-error"' in response.get_data(as_text=True)
    assert _review(desk).recommendation is Recommendation.strong_accept


def test_after_the_deadline_the_review_is_read_only(desk, client):
    client.sign_in_user(desk.reviewer)
    client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    desk.committee.review_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    html = client.get(desk.review_path).get_data(as_text=True)
    assert "the review is read-only" in html and 'name="action"' not in html
    assert "A clear and ambitious project." in html

    late = desk.complete_form(base_version=str(_review(desk).version), comments_committee="Too late.")
    response = client.submit(desk.review_path, late)
    assert response.status_code == 409
    assert "can no longer be changed" in response.get_data(as_text=True)
    assert _review(desk).comments_committee == "Solid plan."
