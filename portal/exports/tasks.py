"""The PDFs missing from a ZIP, rendered and stored on the bulk queue, one task per proposal."""

import logging

from celery import shared_task

from portal.exports.bundle import plan, render_one
from portal.extensions import db
from portal.tasks import records

log = logging.getLogger(__name__)

RENDER_PDF = "exports.render_pdf"


@shared_task(name=RENDER_PDF)
def render_pdf(proposal_id: int) -> None:
    entries, missing = plan([proposal_id])
    if not missing:
        return  # stored meanwhile (another task, a download): nothing to do
    key = entries[0].key
    if records.start(RENDER_PDF, key) is not None:
        return  # failed for good: the progress page says so
    try:
        render_one(proposal_id)
        db.session.commit()
    except Exception as error:  # a render past its time limit, or broken content: recorded, not retried
        db.session.rollback()
        log.exception("rendering the PDF of proposal %s for an export failed", proposal_id)
        records.failed(RENDER_PDF, key, f"{type(error).__name__}: {error}")
        return
    records.succeeded(RENDER_PDF, key)
