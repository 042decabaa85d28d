"""Time the main pages and the cost of a password check; prints figures (no pass/fail).

make bench        # or: .venv/bin/python -m bench.requests
"""

import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.setup import bench_app, median_and_p95, print_figures
from config import TestConfig
from portal import create_app
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password, verify_password
from portal.demo.seed import seed_demo
from portal.extensions import db

USERS = 2000
ROUNDS = 30


def _timed(call, rounds=ROUNDS) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return median_and_p95(samples)


def _proposal_figures(app) -> dict[str, tuple[float, float]]:
    """The form's round trips: autosave (a real change each time) and the live preview/page count."""
    import re

    from portal.proposals.models import Proposal

    client = app.test_client()
    with app.app_context():
        director = db.session.scalar(db.select(User).where(User.email == "director@demo.test"))
        draft = db.session.scalar(
            db.select(Proposal).where(Proposal.owner_id == director.id, Proposal.state == "draft")
        )
        user_id, proposal_id, content = director.get_id(), draft.id, draft.content
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    page = client.get(f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    fields = {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page)
        if name != "action"
    }
    fields["description"] = content["description"]
    counter = {"n": 0}

    def autosave():
        counter["n"] += 1
        fields["title"] = f"{content['title']} ({counter['n']})"
        answer = client.post(f"/proposals/{proposal_id}/autosave", data=fields).get_json()
        assert answer["status"] == "saved", answer
        fields["base_version"] = str(answer["version"])

    def preview():
        counter["n"] += 1
        text = f"{content['description']}\n\nEdit {counter['n']}."
        client.post(
            f"/proposals/{proposal_id}/preview",
            data={"csrf_token": fields["csrf_token"], "description": text},
        )

    return {
        "POST autosave (demo draft, a change each time)": _timed(autosave),
        "POST preview + page count (demo draft)": _timed(preview, 15),
    }


def _description_page_figures() -> dict[str, tuple[float, float]]:
    """A reader's GET /proposals/<id> (issue 11): the example's description, and 8,000 formulas
    written straight into the database as a text saved before the limits existed. "First" is the
    GET that finds nothing stored (the render is left to a worker); "again" reads the store."""
    import json

    from portal.proposals.interchange import import_document
    from portal.proposals.models import RenderedDescription
    from tests import factories
    from tests.celery_worker import in_process_worker
    from tests.proposals.hostile import many_formulas
    from tests.proposals.test_interchange import EXAMPLE, _call

    app = bench_app("description-page")
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    with app.app_context():
        _call()
        example = import_document(document, submit=True)
        hostile = import_document(document, submit=True)
        db.session.flush()
        for row in (hostile, hostile.submitted_revision):
            row.content = {**row.content, "description": many_formulas()}
        reader = factories.user("reader@bench.test", Role.admin)
        db.session.commit()
        pages = {"example": f"/proposals/{example.id}", "8,000 formulas": f"/proposals/{hostile.id}"}
        reader_id = reader.get_id()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = reader_id
        session["_fresh"] = True

    def get(path: str) -> None:
        assert client.get(path).status_code == 200

    figures = {}
    with in_process_worker(app) as worker:
        for label, path in pages.items():
            first = []
            for _ in range(5):
                with app.app_context():
                    db.session.execute(db.delete(RenderedDescription))
                    db.session.commit()
                started = time.perf_counter()
                get(path)
                first.append((time.perf_counter() - started) * 1000)
                worker.wait_idle()
            figures[f"GET proposal page, {label}, first (nothing stored)"] = median_and_p95(first)
            figures[f"GET proposal page, {label}, again (stored)"] = _timed(lambda path=path: get(path))
    return figures


def main() -> None:
    directory = Path(tempfile.mkdtemp())
    config = type(
        "BenchConfig",
        (TestConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{directory / 'bench.sqlite3'}",
            "TWO_FACTOR_ENFORCED": False,
            # Production's bounded wait for a task, not the tests' long one.
            "RENDER_WAIT_SECONDS": 2.0,
        },
    )
    app = create_app(config)
    with app.app_context():
        db.create_all()
        seed_demo()
        shared_hash = hash_password("bench password")
        db.session.add_all(
            User(email=f"user{n}@bench.test", password_hash=shared_hash, last_name=f"Name{n}")
            for n in range(USERS)
        )
        db.session.commit()
        admin = db.session.scalar(db.select(User).where(User.email == "admin@demo.test"))
        assert Role.admin in admin.roles

    client = app.test_client()
    figures = {
        "GET / (visitor)": _timed(lambda: client.get("/")),
        "GET sign-in page": _timed(lambda: client.get("/account/sign-in")),
    }

    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
        session["_fresh"] = True
    figures["GET / (admin dashboard)"] = _timed(lambda: client.get("/"))
    figures[f"GET /admin/users/ ({USERS} users, page 1)"] = _timed(lambda: client.get("/admin/users/"))
    figures["GET /admin/users/?q=name1999"] = _timed(lambda: client.get("/admin/users/?q=name1999"))
    figures["argon2 verify (one sign-in)"] = _timed(
        lambda: verify_password(shared_hash, "bench password"), 10
    )

    from tests.celery_worker import in_process_worker

    # The page counts are tasks: a worker (a thread here) makes them while the request waits.
    with in_process_worker(app):
        figures.update(_proposal_figures(app))
    figures.update(_description_page_figures())

    tracemalloc.start()
    for _ in range(20):
        client.get("/admin/users/")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print_figures(figures)
    print(f"peak Python memory over 20 user-list requests: {peak / 1024 / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
