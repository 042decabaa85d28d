"""The official PDF a download asks for: served when stored, else rendered by a task.

The download finds the file in `stored_pdfs` when a render ahead (proposals/ahead.py) or an
earlier download made it; otherwise it queues the render on the interactive queue (a person
waits), waits at most RENDER_WAIT_SECONDS with its session released, and otherwise answers a
page that refreshes itself until the file is there, or says that it could not be made.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.proposals.models import Proposal, ProposalState, StoredPdf
from portal.proposals.printing import pdf_filename, pdf_key, stored_pdf_and_ordinal, submitted_content
from portal.tasks import INTERACTIVE, after_commit, records
from portal.tasks.waiting import wait_for

RENDER_PDF = "proposals.render_pdf"


@dataclass(frozen=True)
class PdfState:
    key: str
    data: bytes | None = None
    failure: str | None = None
    # The file's name, known once the file is (the download asks for both in one query).
    filename: str | None = None

    @property
    def done(self) -> bool:
        return self.data is not None or self.failure is not None


def printed_content(proposal: Proposal) -> tuple[dict, bool]:
    """What the proposal's PDF shows: its last submitted version when submitted, else the draft."""
    submitted = submitted_content(proposal) if proposal.state is ProposalState.submitted else None
    return (submitted, True) if submitted is not None else (proposal.content, False)


def current_key(proposal: Proposal) -> str:
    content, _submitted = printed_content(proposal)
    return pdf_key(proposal, content)


def ask_pdf(proposal: Proposal, *, queue: str = INTERACTIVE) -> PdfState:
    """The stored PDF of what the proposal prints now, else its render queued after the commit."""
    content, _submitted = printed_content(proposal)
    key = pdf_key(proposal, content)
    data, number = stored_pdf_and_ordinal(proposal, key)
    if data is not None:
        return PdfState(key, data=data, filename=pdf_filename(proposal, content, number))
    failure = records.failures(RENDER_PDF, [key]).get(key)
    if failure is not None:
        return PdfState(key, failure=failure)
    if records.to_queue(RENDER_PDF, [key], stale_after=records.LOST_AFTER):
        after_commit(RENDER_PDF, proposal.id, key, queue=queue)
    return PdfState(key)


def wait_pdf(key: str) -> PdfState:
    return wait_for(lambda session: _done(key, session)) or PdfState(key)


def _done(key: str, session: Session) -> PdfState | None:
    data = session.scalar(select(StoredPdf.data).where(StoredPdf.content_hash == key))
    if data is not None:
        return PdfState(key, data=data)
    failure = records.failures(RENDER_PDF, [key], session=session).get(key)
    return PdfState(key, failure=failure) if failure is not None else None
