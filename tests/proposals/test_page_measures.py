"""The web never renders (issue 13): page counts, previews and PDFs are made by tasks, kept where
every process finds them, and waited for at most RENDER_WAIT_SECONDS (then "counting…" or a page
that refreshes itself). These run on the suite's worker thread; the time limits, which only a
worker process enforces, are in test_render_limits.py."""

from contextlib import contextmanager

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import after_task_publish
from sqlalchemy import func, select

from portal.extensions import db
from portal.proposals import measures
from portal.proposals.measure_models import MeasureRequest, StoredMeasure
from portal.proposals.models import Proposal, ProposalState, StoredPdf
from portal.proposals.renders import RENDER_PDF, current_key
from portal.proposals.tasks import failure_reason, measure_text
from portal.tasks import records
from tests import factories
from tests.proposals.test_form_pages import edit_path, posted

COUNT = "of 3 pages"
NOT_YET = {"RENDER_WAIT_SECONDS": 0}


@contextmanager
def published():
    """The names of the tasks this process publishes meanwhile (Celery's own signal)."""
    names: list[str] = []

    def seen(sender=None, **_kwargs):
        names.append(sender)

    after_task_publish.connect(seen, weak=False)
    try:
        yield names
    finally:
        after_task_publish.disconnect(seen)


def measured() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredMeasure))


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


def preview(client, proposal, text: str):
    return client.submit(f"/proposals/{proposal.id}/preview", {"description": text}, page=edit_path(proposal))


def test_the_live_count_comes_from_a_task_and_the_same_text_is_never_measured_twice(draft, client):
    text = "A text to count, with $x^2$."
    with published() as names:
        first = preview(client, draft, text)
    assert first.status_code == 200 and first.json["status"] == "measured"
    assert COUNT in first.json["label"] and first.json["fits"] is True
    assert "<svg" in first.json["html"]  # the preview HTML, rendered by the same task
    assert names.count(measures.MEASURE) == 1 and measured() == 1
    with published() as names:
        again = preview(client, draft, text)
    assert again.json == first.json
    assert measures.MEASURE not in names and measured() == 1


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_a_count_not_made_in_time_answers_counting_and_the_poll_brings_it(draft, client, task_worker):
    response = preview(client, draft, "Counted while the page polls.")
    assert response.status_code == 202
    assert response.json["status"] == "counting" and response.json["label"] == "Counting the pages…"
    poll = response.json["poll"]
    assert poll.startswith(f"/proposals/{draft.id}/preview/")
    task_worker.wait_idle()
    done = client.get(poll)
    assert done.status_code == 200 and COUNT in done.json["label"]
    assert "Counted while the page polls." in done.json["html"]


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_the_poll_of_a_text_overtaken_by_a_newer_one_says_so(draft, client, task_worker):
    older = preview(client, draft, "The first words.").json["poll"]
    newer = preview(client, draft, "The first words, and more.")
    assert newer.status_code == 202, newer.get_data(as_text=True)[:300]
    task_worker.wait_idle()
    response = client.get(older)
    assert response.status_code == 404 and response.json["status"] == "overtaken"


def test_an_overtaken_text_is_skipped_unless_someone_else_still_wants_it(app_context):
    first, second = factories.proposal(), factories.proposal()
    text = "The same words, typed by two directors."
    key = measures.key_of(first, text)
    assert measures.key_of(second, text) == key  # no figures, same language
    # The first director typed on: what they want now is a newer text.
    db.session.add(
        MeasureRequest(proposal_id=first.id, user_id=first.owner_id, key="0" * 64, text="x", language="fr")
    )
    db.session.commit()
    measure_text(key)
    assert measured() == 0
    # The second director still wants it: measured once, for both.
    db.session.add(
        MeasureRequest(proposal_id=second.id, user_id=second.owner_id, key=key, text=text, language="fr")
    )
    db.session.commit()
    measure_text(key)
    assert db.session.get(StoredMeasure, key).page_count == 1


def test_a_count_that_failed_for_good_is_told_next_to_the_page_count(draft, client):
    text = "A text whose worker was killed on it."
    records.failed(measures.MEASURE, measures.key_of(draft, text), "it was stopped")
    response = preview(client, draft, text)
    assert response.status_code == 200 and response.json["status"] == "failed"
    assert response.json["label"] == "The page count could not be made: it was stopped"


def test_a_failure_recorded_by_a_worker_is_read_in_the_director_s_language(draft, client):
    text = "A text stopped by the time limit."
    # As the worker records it: no request, so no reader's language.
    records.failed(measures.MEASURE, measures.key_of(draft, text), failure_reason(SoftTimeLimitExceeded()))
    english = preview(client, draft, text).json["label"]
    assert english == (
        "The page count could not be made: The document took too long to lay out and was stopped."
    )
    draft.owner.locale = "fr"
    db.session.commit()
    french = preview(client, draft, text).json["label"]
    assert french == (
        "Le nombre de pages n’a pas pu être calculé\u00a0: "
        "La mise en page du document prenait trop de temps et a été interrompue."
    )


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_without_javascript_the_draft_is_saved_then_a_page_refreshes_until_the_count(
    draft, client, task_worker
):
    fields = posted(draft, action="preview", title="Typed before counting", description="Words to count.")
    response = client.submit(edit_path(draft), fields)
    assert response.status_code == 302 and response.location == f"/proposals/{draft.id}/counting"
    db.session.refresh(draft)
    assert draft.content["title"] == "Typed before counting"
    waiting = client.get(response.location)
    assert waiting.headers["Refresh"] == "2" and "Counting the pages…" in waiting.get_data(as_text=True)
    task_worker.wait_idle()
    answer = client.get(response.location)
    shown = answer.get_data(as_text=True)
    assert "Refresh" not in answer.headers
    assert COUNT in shown and "Words to count." in shown
    assert f'href="/proposals/{draft.id}/edit"' in shown and "Back to the form" in shown


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_a_submission_without_a_count_keeps_the_draft_and_asks_to_submit_again(draft, client, task_worker):
    fields = posted(draft, action="submit", title="Typed before submitting")
    response = client.submit(edit_path(draft), fields)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    page_count = html[html.index('id="page-count"') :]
    assert page_count.index("The page count is being made; submit again in a moment.") < 200
    assert ">Typed before submitting<" in html.split("</title>")[1]
    proposal = db.session.get(Proposal, draft.id)
    db.session.refresh(proposal)
    assert proposal.state is ProposalState.draft and proposal.content["title"] == "Typed before submitting"
    task_worker.wait_idle()
    again = client.submit(edit_path(draft), posted(proposal, action="submit"))
    assert again.status_code == 302 and again.location == f"/proposals/{draft.id}/receipt"


def test_the_submission_reads_the_stored_count_of_its_text(draft, client):
    preview(client, draft, draft.content["description"])
    with published() as names:
        response = client.submit(edit_path(draft), posted(draft, action="submit"))
    assert response.status_code == 302
    assert measures.MEASURE not in names


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_the_proposal_page_shows_the_source_while_its_html_is_prepared(draft, client, task_worker):
    content = {**draft.content, "description": "Formatted *soon*, with $y^2$."}
    draft.content = content
    db.session.commit()
    first = client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    assert "The formatted text is being prepared" in first and "Formatted *soon*" in first
    task_worker.wait_idle()
    later = client.get(f"/proposals/{draft.id}").get_data(as_text=True)
    assert "being prepared" not in later and "<em>soon</em>" in later and "<svg" in later


@pytest.mark.parametrize("config_overrides", [NOT_YET])
def test_a_pdf_not_stored_yet_is_prepared_by_a_page_that_refreshes(draft, client, task_worker):
    path = f"/proposals/{draft.id}/pdf"
    waiting = client.get(path)
    assert waiting.status_code == 200 and waiting.mimetype == "text/html"
    assert waiting.headers["Refresh"] == "2"
    task_worker.wait_idle()
    ready = client.get(path)
    assert ready.mimetype == "application/pdf" and ready.data.startswith(b"%PDF")


def test_a_pdf_that_failed_for_good_says_so_instead_of_refreshing(draft, client):
    records.failed(RENDER_PDF, current_key(draft), "it was stopped")
    response = client.get(f"/proposals/{draft.id}/pdf", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The PDF could not be made: it was stopped" in html and "Refresh" not in response.headers


def test_a_saved_draft_whose_text_is_measured_gets_its_pdf_rendered_ahead(draft, client, task_worker):
    preview(client, draft, "The text of the next save.")
    fields = posted(draft, description="The text of the next save.")
    assert (
        client.submit(f"/proposals/{draft.id}/autosave", fields, page=edit_path(draft)).json["status"]
        == "saved"
    )
    task_worker.wait_idle()
    proposal = db.session.get(Proposal, draft.id)
    db.session.refresh(proposal)
    stored = db.session.scalar(select(StoredPdf).where(StoredPdf.content_hash == current_key(proposal)))
    # A draft's file, which the clean-up may delete once a newer one is stored (pdf_cleanup.py).
    assert stored.data and stored.draft is True and stored.proposal_id == draft.id
    with published() as names:
        response = client.get(f"/proposals/{draft.id}/pdf")
    assert response.mimetype == "application/pdf" and names == []
