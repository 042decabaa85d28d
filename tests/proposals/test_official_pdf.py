"""The official PDF of a submission: made by a task after the submission, its state on the receipt
and the proposal page (being prepared, ready, could not be made), and the failures on /admin/outbox."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.proposals.models import StoredPdf
from portal.proposals.printing import store_pdf
from portal.proposals.receipts import send_to_school_and_programme
from portal.tasks.models import TaskRecord
from tests import factories
from tests.celery_worker import wait_idle


def _submitted(app, client):
    campaign, _ = factories.call_with_initiative("SCAI", 2021)
    proposal = factories.submitted_proposal(campaign)
    client.sign_in_user(proposal.owner)
    return proposal


def _transmit(app, proposal, *, due: bool = True) -> None:
    with app.test_request_context():
        send_to_school_and_programme(proposal)
    if not due:
        # Written, not yet taken by the task: as in the seconds after a submission.
        row = db.session.scalars(select(OutboxMessage)).one()
        row.next_attempt_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    wait_idle()


def test_the_receipt_says_the_pdf_is_being_prepared_and_refreshes_until_its_link_is_there(
    app, app_context, client, mailbox, runner
):
    proposal = _submitted(app, client)
    _transmit(app, proposal, due=False)
    answer = client.get(f"/proposals/{proposal.id}/receipt")
    receipt = answer.get_data(as_text=True)
    assert "The official PDF is being prepared" in receipt
    assert answer.headers["Refresh"] == "3" and "Stop reloading this page" in receipt
    assert "The official PDF is being prepared" in client.get(f"/proposals/{proposal.id}").get_data(
        as_text=True
    )

    db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=utcnow()))
    db.session.commit()
    assert runner.invoke(args=["outbox", "sweep"]).exit_code == 0
    receipt = client.get(f"/proposals/{proposal.id}/receipt").get_data(as_text=True)
    assert "http-equiv" not in receipt and "being prepared" not in receipt
    assert f'href="/proposals/{proposal.id}/pdf">Download the official PDF' in receipt
    [message] = mailbox.to(proposal.director_school.contact_email)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == db.session.scalar(select(StoredPdf.data))
    # The attempt succeeded: nothing is left to show on /admin/outbox.
    assert db.session.scalar(select(func.count(TaskRecord.id))) == 0


def test_an_unprintable_text_is_recorded_the_school_is_told_and_the_director_reads_why(
    app, app_context, client, mailbox
):
    proposal = _submitted(app, client)
    app.config["DESCRIPTION_MAX_CHARS"] = 10  # the submitted text is now beyond the limit
    _transmit(app, proposal)

    message = mailbox.last_to(proposal.director_school.contact_email)
    assert list(message.iter_attachments()) == []
    text = mailbox.text(message)
    assert "Le PDF officiel n’a pas pu être joint" in text and f"/proposals/{proposal.id}" in text
    for page in (f"/proposals/{proposal.id}/receipt", f"/proposals/{proposal.id}"):
        html = client.get(page).get_data(as_text=True)
        assert "The official PDF could not be made: The description is too long" in html, page
        assert "http-equiv" not in html
    # Recorded by the task in no one's language: a French director reads it in French.
    proposal.owner.locale = "fr"
    db.session.commit()
    receipt = client.get(f"/proposals/{proposal.id}/receipt").get_data(as_text=True)
    assert "Le PDF officiel n’a pas pu être produit\u00a0: La description est trop longue\u00a0:" in receipt

    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_out()
    client.sign_in_user(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "proposals.official_pdf" in page and "The description is too long" in page
    assert "No failed e-mail." in page  # the message itself went


def test_the_admin_outbox_page_shows_each_queue_s_depth(app, app_context, client):
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_in_user(admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    for queue in ("interactive", "submission", "bulk"):
        assert f'<tr><th scope="row">{queue}</th><td>0</td></tr>' in page
    assert "No failed task." in page


@pytest.mark.parametrize(
    "config_overrides", [{"CELERY_BROKER_URL": "redis://127.0.0.1:1/13"}]
)  # nothing there
def test_the_broker_down_leaves_the_admin_outbox_page_answering(app, app_context, client):
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_in_user(admin)
    response = client.get("/admin/outbox")
    assert response.status_code == 200
    assert '<tr><th scope="row">submission</th><td>not available</td></tr>' in response.get_data(as_text=True)


def test_two_workers_storing_the_same_file_keep_one_and_neither_fails(app, app_context):
    # The other worker's file is committed while this one renders the same text.
    db.session.add(StoredPdf(content_hash="a" * 64, data=b"%PDF theirs"))
    db.session.commit()
    user = factories.user("kept@example.org")  # work of the same transaction, kept
    store_pdf("a" * 64, b"%PDF mine", proposal=factories.proposal(user), draft=True)
    db.session.commit()
    assert db.session.scalars(select(StoredPdf.data)).all() == [b"%PDF theirs"]
    assert db.session.get(type(user), user.id) is not None
