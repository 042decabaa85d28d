"""The scheduler deletes old drafts' PDFs, each proposal's newest kept, and never a submitted one."""

from datetime import timedelta

from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import StoredPdf
from portal.proposals.tasks import clean_stored_pdfs
from portal.tasks.routing import BULK, ROUTES
from portal.tasks.settings import celery_settings
from tests import factories


def _stored(name: str, proposal, *, days: float, draft: bool | None) -> None:
    db.session.add(
        StoredPdf(
            content_hash=name.ljust(64, "0"),
            data=b"%PDF " + name.encode(),
            proposal_id=proposal.id if proposal is not None else None,
            draft=draft,
            created_at=utcnow() - timedelta(days=days),
        )
    )


def test_old_drafts_go_the_newest_draft_and_every_submitted_pdf_stay(app, app_context):
    autosaved, submitted = factories.proposal(), factories.proposal()
    _stored("autosave-1", autosaved, days=12, draft=True)
    _stored("autosave-2", autosaved, days=10, draft=True)  # the newest of its proposal, however old
    _stored("sent-to-the-school", submitted, days=30, draft=False)
    _stored("draft-before-submitting", submitted, days=20, draft=True)
    _stored("draft-after-reopening", submitted, days=1, draft=True)
    _stored("reopened-yesterday", submitted, days=0.5, draft=True)  # within the bound
    _stored("stored-before-the-kind-was-kept", None, days=90, draft=None)
    db.session.commit()

    # The task's body, with its commit, in this test's app (a call would take Celery's current app).
    clean_stored_pdfs.run()

    kept = set(db.session.scalars(select(StoredPdf.data)))
    assert kept == {
        b"%PDF " + name.encode()
        for name in (
            "autosave-2",
            "sent-to-the-school",
            "draft-after-reopening",
            "reopened-yesterday",
            "stored-before-the-kind-was-kept",
        )
    }
    clean_stored_pdfs.run()  # nothing more to do
    assert db.session.scalar(select(db.func.count(StoredPdf.id))) == 5


def test_the_bound_is_a_setting_and_the_scheduler_runs_it_on_the_bulk_queue(app, app_context):
    proposal = factories.proposal()
    _stored("three-days-old", proposal, days=3, draft=True)
    _stored("newest", proposal, days=2, draft=True)
    db.session.commit()
    app.config["DRAFT_PDF_KEEP_DAYS"] = 7
    clean_stored_pdfs.run()
    assert db.session.scalar(select(db.func.count(StoredPdf.id))) == 2
    app.config["DRAFT_PDF_KEEP_DAYS"] = 2.5
    clean_stored_pdfs.run()
    assert db.session.scalars(select(StoredPdf.data)).all() == [b"%PDF newest"]

    entry = celery_settings(app.config)["beat_schedule"]["clean-stored-pdfs"]
    assert entry["task"] == "proposals.clean_stored_pdfs" and entry["options"] == {"queue": BULK}
    assert entry["schedule"] == app.config["PDF_CLEANUP_SECONDS"] and ROUTES[entry["task"]] == BULK
