"""The renders of proposals, on the workers only: page measures and previews (interactive), a
draft's PDF asked for now (interactive), and PDFs made ahead of time (bulk).

Each task reads what it works on from the database, is keyed by a task record (queued once,
failed for good with its reason, which the waiting page shows), and is idempotent: a task run
twice (acknowledged late, its worker killed) finds its result stored and stops.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.proposals import ahead
from portal.proposals.ahead import RENDER_AHEAD
from portal.proposals.description_view import RENDER_DESCRIPTION, keep_rendering, render_and_store, render_key
from portal.proposals.measure_models import MeasureRequest, StoredMeasure
from portal.proposals.measures import MEASURE
from portal.proposals.models import Proposal, ProposalState, RenderState
from portal.proposals.pdf_cleanup import CLEAN_STORED_PDFS, delete_old_draft_pdfs
from portal.proposals.printing import figure_stamps, measure, official_pdf_file, stored_pdf, submitted_content
from portal.proposals.renders import RENDER_PDF, current_key, printed_content
from portal.tasks import records

log = logging.getLogger(__name__)


def failure_reason(error: Exception):
    """What the director reads next to the page count or on the PDF's page: a lazy message, kept
    untranslated by the task record and translated for each reader (tasks/reasons.py)."""
    if isinstance(error, SoftTimeLimitExceeded | TimeLimitExceeded):
        return _l("The document took too long to lay out and was stopped.")
    if isinstance(error, DocumentError):
        return error.message
    return _l("The document could not be made; please try again.")


@shared_task(name=MEASURE)
def measure_text(key: str) -> None:
    """Measure the text some proposal still wants under `key`, and render its preview HTML."""
    request = db.session.scalar(select(MeasureRequest).where(MeasureRequest.key == key).limit(1))
    if db.session.get(StoredMeasure, key) is not None or request is None:
        # Measured meanwhile, or overtaken: every proposal that asked wants a newer text now.
        records.succeeded(MEASURE, key)
        return
    if records.start(MEASURE, key) is not None:
        return  # failed for good (its worker killed on it): the counter says so
    proposal = db.session.get(Proposal, request.proposal_id)
    text = request.text
    try:
        result = measure(proposal, text)
        figures = figure_stamps(proposal)
        render_and_store(render_key(text, figures), text, sorted(figures))
        stored = StoredMeasure(key=key, pages=result.pages, page_count=result.page_count)
        stored.last_page_fill = result.last_page_fill
        db.session.add(stored)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another worker stored the same measure: it is there
    except Exception as error:  # the soft time limit, a text beyond the limits, a renderer bug
        db.session.rollback()
        log.warning("measure %s failed", key[:12], exc_info=True)
        records.failed(MEASURE, key, failure_reason(error))
        return
    records.succeeded(MEASURE, key)
    ahead.after_measure(proposal, text)


@shared_task(name=RENDER_DESCRIPTION)
def render_description(proposal_id: int, key: str) -> None:
    """The web HTML of the proposal's draft or submitted text whose key is `key`."""
    proposal = db.session.get(Proposal, proposal_id)
    figures = figure_stamps(proposal) if proposal is not None else {}
    contents = [proposal.content, submitted_content(proposal) or {}] if proposal is not None else []
    texts = [content.get("description") or "" for content in contents]
    text = next((text for text in texts if render_key(text, figures) == key), None)
    if text is None:
        records.succeeded(RENDER_DESCRIPTION, key)  # changed meanwhile: its page asks for the new one
        return
    if records.start(RENDER_DESCRIPTION, key) is not None:
        keep_rendering(key, RenderState.failed, None)  # killed on it: pages show the source
        db.session.commit()
        return
    render_and_store(key, text, sorted(figures))
    db.session.commit()
    records.succeeded(RENDER_DESCRIPTION, key)


@shared_task(name=RENDER_PDF)
def render_pdf(proposal_id: int, key: str) -> None:
    """The official PDF the download of `key` waits for, stored for it."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or current_key(proposal) != key:
        records.succeeded(RENDER_PDF, key)  # changed meanwhile: its page asks for the new one
        return
    _render_and_keep(proposal, RENDER_PDF, key, key)


@shared_task(name=CLEAN_STORED_PDFS)
def clean_stored_pdfs() -> None:
    """The scheduler's clean-up of old drafts' PDFs (pdf_cleanup.py)."""
    deleted = delete_old_draft_pdfs()
    db.session.commit()
    log.info("%d stored draft PDFs deleted", deleted)


@shared_task(name=RENDER_AHEAD)
def render_ahead(proposal_id: int) -> None:
    """The draft's PDF, made before anyone asks for it (bulk queue, at most one per proposal)."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.state is not ProposalState.draft:
        records.succeeded(RENDER_AHEAD, str(proposal_id))
        return
    _render_and_keep(proposal, RENDER_AHEAD, str(proposal_id), current_key(proposal))


def _render_and_keep(proposal: Proposal, task: str, record_key: str, key: str) -> None:
    if stored_pdf(key) is not None:
        records.succeeded(task, record_key)
        return
    if records.start(task, record_key) is not None:
        return  # failed for good: the download's page says so
    content, _submitted = printed_content(proposal)
    try:
        official_pdf_file(proposal, content, store=True)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # stored meanwhile by another task
    except Exception as error:  # the soft time limit, content beyond the limits, a renderer bug
        db.session.rollback()
        log.warning("PDF of proposal %s not made", proposal.id, exc_info=True)
        records.failed(task, record_key, failure_reason(error))
        return
    records.succeeded(task, record_key)


# Task name → which of its arguments is its record's key (a render ahead is only retried later).
_RECORD_KEY_ARGUMENT = {MEASURE: 0, RENDER_DESCRIPTION: 1, RENDER_PDF: 1}


@task_failure.connect
def _record_the_hard_limit(sender=None, exception=None, args=None, **_kwargs) -> None:
    """A render past the hard time limit: its process was killed (the pool replaces it), so the
    worker's main process records the failure, and the pages waiting for it say so at once."""
    if not isinstance(exception, TimeLimitExceeded) or sender is None:
        return
    with sender.app.flask_app.app_context():
        if sender.name in _RECORD_KEY_ARGUMENT:
            key = str(args[_RECORD_KEY_ARGUMENT[sender.name]])
            records.failed(sender.name, key, failure_reason(exception))
        elif sender.name == RENDER_AHEAD:
            records.succeeded(RENDER_AHEAD, str(args[0]))
