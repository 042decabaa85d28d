"""Exports at scale: 1,000 submitted proposals with stored PDFs; the ZIP, the CSV and the XLSX;
then the staff dashboard over the same proposals.

Each proposal has its own director, three reviewers (two reviews submitted) and, one in two, the
doctoral school's opinion. Prints the time and the peak Python memory (tracemalloc) of each export,
then the dashboard's median server time and query count (no pass/fail). Targets: the ZIP at 100
PDFs/s or more from stored files, its peak memory the same at 100 and 1,000 files; the dashboard
within 100 ms, its query count the same with or without filters.
make bench   # or: .venv/bin/python -m bench.exports
"""

import gc
import statistics
import time
import tracemalloc
from functools import partial

from bench.setup import bench_app, committee_reviewers, scai_call
from portal.auth.models import Role, User
from portal.dashboards.models import Opinion, SchoolOpinion
from portal.db import utcnow
from portal.exports.bundle import plan, zip_chunks
from portal.exports.selection import Filters, selected_ids, selected_proposals
from portal.exports.spreadsheets import csv_chunks, xlsx_bytes
from portal.exports.table import table
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalRevision, ProposalState, StoredPdf
from portal.proposals.printing import official_pdf
from portal.reviews.models import Assignment, Recommendation, Review, ReviewState
from portal.reviews.services import committee_of
from tests import factories
from tests.queries import count_queries

PROPOSALS, REVIEWERS, PER_PROPOSAL, SUBMITTED = 1000, 60, 3, 2
DASHBOARD_ROUNDS = 21


def _fill(campaign, target, school) -> bytes:
    """One real proposal rendered once; its PDF's bytes stored again under every other key."""
    real = factories.submitted_proposal(campaign)
    _, pdf = official_pdf(real, real.submitted_revision.content, store=True)
    base = factories.complete_content(initiative=target, school=school, email="director@bench.test")
    # One director each, as in a real call: a director's supervision share reads their own proposals.
    owners = [
        User(email=f"director{n}@bench.test", first_name="Bench", last_name=f"Director{n}")
        for n in range(PROPOSALS - 1)
    ]
    db.session.add_all(owners)
    db.session.flush()
    now = utcnow()
    proposals = []
    for n, owner in enumerate(owners):
        director = dict(base["director"], last_name=f"Director{n}", email=owner.email)
        content = dict(base, title=f"Proposal {n}", director=director)
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


def _review(campaign, target, school_staff: User) -> None:
    """The committee: three reviewers per proposal, two reviews submitted; one opinion in two."""
    committee = committee_of(campaign=campaign, initiative=target)
    db.session.flush()
    reviewers = committee_reviewers(committee, REVIEWERS, "bench.test")
    ids = selected_ids(Filters(), user=None)
    assignments = [
        Assignment(proposal_id=pid, reviewer_id=reviewers[(index * PER_PROPOSAL + k) % REVIEWERS].id)
        for index, pid in enumerate(ids)
        for k in range(PER_PROPOSAL)
    ]
    db.session.add_all(assignments)
    db.session.flush()
    keys = [str(criterion.id) for criterion in committee.criteria]
    db.session.add_all(
        Review(
            assignment_id=a.id,
            proposal_id=a.proposal_id,
            reviewer_id=a.reviewer_id,
            state=ReviewState.submitted,
            submitted_at=utcnow(),
            marks={key: str(1 + (a.id + position) % 5) for position, key in enumerate(keys)},
            recommendation=Recommendation.accept,
            confidence=3,
        )
        for index, a in enumerate(assignments)
        if index % PER_PROPOSAL < SUBMITTED
    )
    db.session.add_all(
        SchoolOpinion(proposal_id=pid, opinion=Opinion.favourable, comment="Bench", author_id=school_staff.id)
        for pid in ids[::2]
    )
    db.session.commit()


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


DASHBOARD_PATHS = {
    "first page": "/staff/proposals/",
    "filtered": "/staff/proposals/?campaign=2021&initiative=SCAI&state=submitted&sort=submitted&q=proposal",
}


def _dashboard(app, users: dict[str, str]) -> None:
    """Median server time (test client, no network) and SQL statements of the dashboard's pages."""
    client = app.test_client()
    # CPU time beside wall time: on a busy machine the wall clock also counts waiting for a core.
    print(f"{'dashboard':<34} {'median ms':>10} {'CPU ms':>8} {'queries':>8}")
    for who, user_id in users.items():
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        for name, path in DASHBOARD_PATHS.items():
            status = client.get(path).status_code
            if status != 200:
                print(f"{who}, {name}: {path} answered {status}; not timed")
                continue
            with app.app_context():  # count_queries listens on the engine of the app's context
                queries = count_queries(partial(client.get, path))
            wall, cpu = [], []
            for _ in range(DASHBOARD_ROUNDS):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(path)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            wall_ms, cpu_ms = statistics.median(wall), statistics.median(cpu)
            print(f"{f'{who}, {name}':<34} {wall_ms:>10.1f} {cpu_ms:>8.1f} {queries:>8}")


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
        school_staff = factories.user("ed@bench.test", Role.school_staff, scope=school)
        _review(campaign, target, school_staff)
        print(
            f"committee: {PER_PROPOSAL} reviewers per proposal, {SUBMITTED} reviews submitted each; "
            "one proposal in two has the school's opinion"
        )
        users = {
            "programme staff": factories.user("prog@bench.test", Role.programme_staff, scope=target).get_id(),
            "admin": factories.user("admin@bench.test", Role.admin).get_id(),
            "school staff": school_staff.get_id(),
        }
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
    _dashboard(app, users)


if __name__ == "__main__":
    main()
