"""The periodic clean-up of stored PDFs: drafts' files do not pile up forever.

Every autosave of a measured text queues a render ahead (ahead.py), and a draft's download stores
its file: one PDF per saved version, of which only the newest is ever asked for again. The
scheduler runs this on the bulk queue every PDF_CLEANUP_SECONDS. It deletes a stored PDF only when
it is a draft's (it prints no submission: never a submitted version's, the school's or an outbox
message's, which are stamped with their submission), older than DRAFT_PDF_KEEP_DAYS, and not the
newest draft file of its proposal. A file deleted that is asked for again is rendered again: the
store is a cache of renders, nothing a user typed is in it alone. Files stored before their kind
was recorded (`draft` NULL) are kept.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import StoredPdf

CLEAN_STORED_PDFS = "proposals.clean_stored_pdfs"


def delete_old_draft_pdfs(*, now: datetime | None = None) -> int:
    """Delete the draft PDFs past the bound but each proposal's newest; how many went (one statement)."""
    cutoff = (now or utcnow()) - timedelta(days=float(current_app.config["DRAFT_PDF_KEEP_DAYS"]))
    newest = (
        select(func.max(StoredPdf.id))
        .where(StoredPdf.draft.is_(True), StoredPdf.proposal_id.is_not(None))
        .group_by(StoredPdf.proposal_id)
    )
    result = db.session.execute(
        delete(StoredPdf).where(
            StoredPdf.draft.is_(True), StoredPdf.created_at < cutoff, StoredPdf.id.not_in(newest)
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount
