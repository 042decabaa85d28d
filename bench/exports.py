"""Exports at scale: 1,000 submitted proposals with stored PDFs; the ZIP, the CSV and the XLSX.

Prints the time and the peak Python memory (tracemalloc) of each export (no pass/fail). Targets:
the ZIP at 100 PDFs/s or more from stored files, its peak memory the same at 100 and 1,000 files.
make bench   # or: .venv/bin/python -m bench.exports
"""

import gc
import time
import tracemalloc

from bench.setup import bench_app, scai_call
from portal.db import utcnow
from portal.exports.bundle import plan, zip_chunks
from portal.exports.selection import Filters, selected_ids, selected_proposals
from portal.exports.spreadsheets import csv_chunks, xlsx_bytes
from portal.exports.table import table
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalRevision, ProposalState, StoredPdf
from portal.proposals.printing import official_pdf
from tests import factories

PROPOSALS = 1000


def _fill(campaign, target, school) -> bytes:
    """One real proposal rendered once; its PDF's bytes stored again under every other key."""
    real = factories.submitted_proposal(campaign)
    _, pdf = official_pdf(real, real.submitted_revision.content, store=True)
    owner = factories.user("director@bench.test")
    base = factories.complete_content(initiative=target, school=school, email=owner.email)
    now = utcnow()
    proposals = []
    for n in range(PROPOSALS - 1):
        content = dict(base, title=f"Proposal {n}", director=dict(base["director"], last_name=f"Director{n}"))
        proposals.append(
            Proposal(
                campaign_id=campaign.id,
                owner_id=owner.id,
                state=ProposalState.submitted,
                submitted_at=now,
                content=content,
                title=content["title"],
                initiative_id=target.id,
                director_school_id=school.id,
                last_saved_at=now,
            )
        )
    db.session.add_all(proposals)
    db.session.flush()
    db.session.add_all(
        ProposalRevision(proposal_id=p.id, number=1, content=p.content, submitted=True) for p in proposals
    )
    db.session.commit()
    entries, missing = plan(selected_ids(Filters(), user=None))
    keys = {entry.key for entry in entries if entry.proposal_id in set(missing)}
    db.session.add_all(StoredPdf(content_hash=key, data=pdf) for key in keys)
    db.session.commit()
    return pdf


def _zip(ids: list[int]) -> int:
    entries, missing = plan(ids)
    assert not missing, "every PDF is stored"
    size = 0
    for chunk in zip_chunks(entries):
        size += len(chunk)  # as a server writes it to the socket: nothing kept
    return size


def _csv(ids) -> int:
    header, rows = table(selected_proposals(Filters(), user=None), user=None)
    return sum(len(chunk.encode()) for chunk in csv_chunks(header, rows))


def _xlsx(ids) -> int:
    header, rows = table(selected_proposals(Filters(), user=None), user=None)
    return len(xlsx_bytes(header, rows, title="Proposals"))


def _measure(call, *args) -> tuple[float, float, int]:
    """Seconds (without tracemalloc), then peak MiB (with it), and the output's size."""
    db.session.expunge_all()
    gc.collect()
    started = time.perf_counter()
    size = call(*args)
    seconds = time.perf_counter() - started
    db.session.expunge_all()
    gc.collect()
    tracemalloc.start()
    call(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, size


def main() -> None:
    app = bench_app("exports")
    with app.app_context():
        campaign, target, school = scai_call()
        db.session.commit()
        started = time.perf_counter()
        pdf = _fill(campaign, target, school)
        print(
            f"filled {PROPOSALS} submitted proposals in {time.perf_counter() - started:.1f} s; one real PDF "
            f"({len(pdf) / 1024:.0f} KiB) rendered, its bytes stored under {PROPOSALS} content hashes"
        )
        ids = selected_ids(Filters(), user=None)
        print(f"{'export':<22} {'files':>6} {'seconds':>8} {'files/s':>8} {'peak MiB':>9} {'MiB out':>8}")
        for count in (100, PROPOSALS):
            seconds, peak, size = _measure(_zip, ids[:count])
            print(
                f"{'ZIP (stored PDFs)':<22} {count:>6} {seconds:>8.2f} {count / seconds:>8.0f} "
                f"{peak:>9.1f} {size / 2**20:>8.1f}"
            )
        for name, call in (("CSV", _csv), ("XLSX", _xlsx)):
            seconds, peak, size = _measure(call, ids)
            rate = len(ids) / seconds
            print(f"{name:<22} {len(ids):>6} {seconds:>8.2f} {rate:>8.0f} {peak:>9.1f} {size / 2**20:>8.1f}")


if __name__ == "__main__":
    main()
