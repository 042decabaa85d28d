"""The official PDF of a submitted version: made by the task that sends it to the school, and its
state for the pages that wait for it ("being prepared", then the link, or why it could not be made).

The school's message names the file (receipts.send_to_school_and_programme); the outbox's delivery
task, on the submission queue, asks the maker below for it, which renders and stores it once.
Each attempt is a task record (`OFFICIAL_PDF_TASK`, key: the revision's id), so that a render
killed with its worker is counted, and a failure is kept with its reason for the pages. Whatever
happens, the message leaves: without the file, it says where to download it.
"""

from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.notifications.attachments import maker
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.proposals.models import Proposal, ProposalRevision, ProposalState
from portal.proposals.printing import revision_pdf, revision_pdf_stored
from portal.tasks import records

# The outbox's name for "the official PDF of the submitted revision whose id is the key".
OFFICIAL_PDF = "official_pdf"
# The task records' name for the attempts at it.
OFFICIAL_PDF_TASK = "proposals.official_pdf"
# Recorded when a render overran the soft time limit (shown translated, below).
TOO_LONG = _l("it took longer than the time allowed for a PDF")


class OfficialPdfFailed(Exception):
    """The file could not be made, for good: the message goes without it."""


@maker(OFFICIAL_PDF)
def _make(revision_id: int) -> tuple[str, bytes]:
    key = str(revision_id)
    try:
        return _render(revision_id, key)
    except SoftTimeLimitExceeded:
        # Wherever it struck, before the render too (a loaded machine, a new worker process):
        # the pages must say why the message went without its file.
        records.failed(OFFICIAL_PDF_TASK, key, TOO_LONG)
        raise


def _render(revision_id: int, key: str) -> tuple[str, bytes]:
    revision = db.session.get(ProposalRevision, revision_id)
    if revision is None or not revision.submitted:
        raise LookupError(f"no submitted revision {revision_id}")
    reason = records.start(OFFICIAL_PDF_TASK, key)
    if reason is not None:
        raise OfficialPdfFailed(reason)
    try:
        data = revision_pdf(revision)
    except SoftTimeLimitExceeded:
        raise  # recorded by _make
    except Exception as error:
        # A text the renderer refuses says why in words; anything else is the portal's bug.
        reason = error.message if isinstance(error, DocumentError) else f"{type(error).__name__}: {error}"
        records.failed(OFFICIAL_PDF_TASK, key, reason)
        raise
    records.succeeded(OFFICIAL_PDF_TASK, key)
    return "application/pdf", data


@dataclass(frozen=True)
class PdfState:
    state: str  # "pending", "ready" or "failed"
    reason: str | None = None  # why it failed, in the reader's language when the portal knows it

    @property
    def pending(self) -> bool:
        return self.state == "pending"


def pdf_state(proposal: Proposal) -> PdfState | None:
    """The state of the PDF of the submitted version; None unless the proposal stands submitted
    (reopened, its PDF link gives the draft).

    Ready once stored (or when nothing makes it now: the download renders it); being prepared while
    the school's message waits for it; failed with the recorded reason.
    """
    revision = proposal.submitted_revision
    if revision is None or proposal.state is not ProposalState.submitted:
        return None
    if revision_pdf_stored(revision):
        return PdfState("ready")
    failure = records.failures(OFFICIAL_PDF_TASK, [str(revision.id)]).get(str(revision.id))
    if failure is not None:
        return PdfState("failed", failure)
    waiting = db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.attachment_kind == OFFICIAL_PDF,
            OutboxMessage.attachment_key == revision.id,
            OutboxMessage.status == OutboxStatus.pending,
        )
    )
    return PdfState("pending" if waiting is not None else "ready")
