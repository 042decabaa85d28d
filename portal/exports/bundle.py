"""The official PDFs of a selection as one ZIP, streamed from the stored files.

`plan` finds each proposal's official name and the key of its stored PDF (and which are missing);
`render` stores the missing ones; `zip_chunks` yields the archive a file at a time, so memory holds
one PDF and the archive's directory, whatever the number of files.
"""

import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal.documents.hashing import content_hash
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalRevision, StoredPdf
from portal.proposals.printing import figure_images, official_pdf, pdf_filename, print_context
from portal.timezones import utc_to_paris

CHUNK = 100


@dataclass(frozen=True, slots=True)
class Entry:
    proposal_id: int
    filename: str
    key: str
    date_time: tuple[int, int, int, int, int, int]


def submitted_content(proposal: Proposal) -> dict:
    """The submitted version, as the PDF route prints it (read without loading every revision)."""
    content = db.session.scalar(
        select(ProposalRevision.content)
        .where(ProposalRevision.proposal_id == proposal.id, ProposalRevision.submitted.is_(True))
        .order_by(ProposalRevision.number.desc())
        .limit(1)
    )
    return content if content is not None else proposal.content


def _unique(filename: str, used: set[str]) -> str:
    # Two directors of the same name in the same call and initiative: numbered as a file manager
    # would, "… (2).pdf", "… (3).pdf", in the order of the selection.
    path, number, unique = PurePosixPath(filename), 1, filename
    while unique in used:
        number += 1
        unique = f"{path.stem} ({number}){path.suffix}"
    used.add(unique)
    return unique


def plan(ids: list[int]) -> tuple[list[Entry], list[int]]:
    """The ZIP's entries in order, and the ids of the proposals whose PDF is not stored yet."""
    entries: list[Entry] = []
    missing: list[int] = []
    used: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Proposals the session held before (the request's own) stay; the others leave after use.
        held = {key[1][0] for key in db.session.identity_map if key[0] is Proposal}
        loaded = db.session.scalars(
            select(Proposal).where(Proposal.id.in_(chunk)).options(selectinload(Proposal.figures))
        )
        proposals = {proposal.id: proposal for proposal in loaded}
        chunk_entries = []
        for proposal_id in chunk:
            proposal = proposals[proposal_id]
            content = submitted_content(proposal)
            # The same key as official_pdf's: the stored file of exactly this version.
            key = content_hash(content, figure_images(proposal), print_context(proposal, content))
            when = utc_to_paris(proposal.submitted_at or proposal.last_saved_at)
            name = _unique(pdf_filename(proposal, content), used)
            chunk_entries.append(Entry(proposal_id, name, key, when.timetuple()[:6]))
        stored = set(
            db.session.scalars(
                select(StoredPdf.content_hash).where(
                    StoredPdf.content_hash.in_([e.key for e in chunk_entries])
                )
            )
        )
        missing += [entry.proposal_id for entry in chunk_entries if entry.key not in stored]
        entries += chunk_entries
        for proposal_id, proposal in proposals.items():
            if proposal_id not in held:
                db.session.expunge(proposal)
    return entries, missing


def render_one(proposal_id: int) -> bytes:
    """Render and store one proposal's submitted PDF; the caller commits. A race is harmless."""
    proposal = db.session.get(Proposal, proposal_id)
    try:
        _name, data = official_pdf(proposal, submitted_content(proposal), store=True)
    except IntegrityError:
        # Another process stored the same file meanwhile: theirs is identical, read it.
        db.session.rollback()
        proposal = db.session.get(Proposal, proposal_id)
        _name, data = official_pdf(proposal, submitted_content(proposal), store=True)
    return data


def render(ids: Iterable[int]) -> int:
    """Render and store the PDFs of these proposals, committing after each; returns how many."""
    count = 0
    for proposal_id in ids:
        render_one(proposal_id)
        db.session.commit()
        count += 1
    return count


class _Sink:
    """A write-only stream for zipfile whose bytes are taken after each file (no seek: streamed ZIP)."""

    def __init__(self):
        self._parts: list[bytes] = []

    def write(self, data) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def zip_chunks(entries: Iterable[Entry]) -> Iterator[bytes]:
    """The ZIP, one stored PDF at a time (ZIP_STORED: PDFs are compressed already)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for entry in entries:
            data = db.session.scalar(select(StoredPdf.data).where(StoredPdf.content_hash == entry.key))
            if data is None:
                data = render_one(entry.proposal_id)
            archive.writestr(zipfile.ZipInfo(entry.filename, date_time=entry.date_time), data)
            del data
            yield sink.take()
    yield sink.take()
