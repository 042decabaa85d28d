"""The transactional outbox: e-mails are written with the change that causes them, and none is lost."""

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.mail import send_template
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.outbox import retry_delay
from portal.proposals.models import ProposalState, StoredPdf
from portal.proposals.receipts import send_receipt, send_to_school_and_programme
from tests import factories
from tests.celery_worker import wait_idle


def _messages() -> list[OutboxMessage]:
    wait_idle()  # the delivery tasks the test caused have run
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _send_test_message(to: str = "ada@example.org") -> None:
    user = factories.user(to)
    with current_app.test_request_context():
        send_template(to=to, template="confirm_email", locale="en", user=user, url="http://x/confirm")


@pytest.fixture
def server_down(mail_server):
    """The SMTP server stopped for the test, started again whatever happens."""
    mail_server.stop()
    try:
        yield mail_server
    finally:
        mail_server.start()


def _make_due() -> None:
    for row in _messages():
        row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def test_the_message_is_written_in_the_transaction_and_leaves_after_the_commit(app_context, mailbox):
    _send_test_message()
    assert mailbox.messages == []  # nothing leaves before the commit
    db.session.commit()
    [row] = _messages()
    assert row.status is OutboxStatus.sent and row.sent_at is not None and row.attempts == 1
    assert row.recipients == "ada@example.org" and "confirm" in row.subject.lower()
    assert len(mailbox.to("ada@example.org")) == 1


def test_a_rolled_back_change_leaves_no_message(app_context, mailbox):
    _send_test_message()
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert _messages() == [] and mailbox.messages == []


def test_a_submission_stands_when_the_mail_server_is_down_and_its_receipt_leaves_once(
    app, app_context, mailbox, server_down, runner
):
    target = factories.initiative()
    campaign = factories.campaign()
    campaign.initiatives.append(target)
    db.session.commit()
    proposal = factories.submitted_proposal(campaign)
    director = proposal.owner.email
    with app.test_request_context():
        send_receipt(proposal)
    db.session.commit()  # as the submission route does: never raises, though the server is down

    assert db.session.get(type(proposal), proposal.id).state is ProposalState.submitted
    receipts = [row for row in _messages() if row.recipients == director]
    assert len(receipts) == 1
    [receipt] = receipts
    assert receipt.status is OutboxStatus.pending and receipt.attempts == 1
    assert receipt.last_error and receipt.next_attempt_at > utcnow()

    server_down.start()
    try:
        _make_due()
        result = runner.invoke(args=["outbox", "sweep"])
        assert result.exit_code == 0, result.output
        assert len(mailbox.to(director)) == 1
        assert "PRD-" in mailbox.text(mailbox.last_to(director))
        assert db.session.get(OutboxMessage, receipt.id).status is OutboxStatus.sent

        _make_due()  # even when the clock says so, a sent message is not sent again
        runner.invoke(args=["outbox", "sweep"])
        assert len(mailbox.to(director)) == 1
    finally:
        server_down.stop()  # the fixture starts it again


def test_retries_back_off_then_the_message_fails_and_admins_see_it_and_resend_it(
    app, app_context, client, mailbox, server_down, runner
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    _send_test_message("late@example.org")
    db.session.commit()
    [row] = _messages()
    assert row.status is OutboxStatus.pending and row.attempts == 1

    runner.invoke(args=["outbox", "sweep"])  # not due yet: untouched
    assert _messages()[0].attempts == 1
    for attempts in (2, 3):
        _make_due()
        runner.invoke(args=["outbox", "sweep"])
        [row] = _messages()
        assert row.attempts == attempts
    assert row.status is OutboxStatus.failed and "ConnectionRefused" in row.last_error
    assert retry_delay(1) == timedelta(minutes=1) and retry_delay(4) == timedelta(minutes=8)

    server_down.start()
    try:
        _make_due()
        runner.invoke(args=["outbox", "sweep"])  # failed messages are left alone
        assert mailbox.messages == []

        admin = factories.user("admin@example.org", Role.admin, two_factor=True)
        client.sign_in_user(admin)
        page = client.get("/admin/outbox").get_data(as_text=True)
        assert "late@example.org" in page and "ConnectionRefused" in page and "Resend" in page

        response = client.submit(f"/admin/outbox/{row.id}/resend", page="/admin/outbox")
        assert response.status_code == 302
        [row] = _messages()
        assert row.status is OutboxStatus.sent and row.attempts == 1
        assert len(mailbox.to("late@example.org")) == 1
        page = client.get("/admin/outbox").get_data(as_text=True)
        assert "No failed e-mail." in page and "No e-mail waiting." in page
    finally:
        server_down.stop()


def test_two_workers_do_not_send_twice(app_context, mailbox, runner):
    _send_test_message()
    db.session.commit()
    assert len(mailbox.messages) == 1
    row = _messages()[0]
    row.next_attempt_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    runner.invoke(args=["outbox", "sweep"])
    assert len(mailbox.messages) == 1
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


@pytest.mark.parametrize("config_overrides", [{"MAIL_BACKEND": "log"}])
def test_the_log_backend_goes_through_the_outbox(app_context, mailbox, caplog):
    caplog.set_level("INFO")
    _send_test_message()
    db.session.commit()
    [row] = _messages()
    assert row.status is OutboxStatus.sent and mailbox.messages == []
    assert "MAIL_BACKEND=log" in caplog.text


def test_the_school_s_pdf_is_made_when_its_message_is_sent_not_in_the_submission(
    app, app_context, mailbox, server_down, runner
):
    campaign, _ = factories.call_with_initiative("SCAI", 2021)
    proposal = factories.submitted_proposal(campaign)
    with app.test_request_context():
        send_to_school_and_programme(proposal)
    [row] = _messages()  # written with nothing but the name of the file to make
    assert row.attachment_kind == "official_pdf" and row.attachment_name == "SCAI – AAP 2021 – LAMPRIER.pdf"
    assert b"%PDF" not in row.raw and b"%PDF" not in row.raw_without_attachment
    assert db.session.scalar(select(func.count(StoredPdf.id))) == 0
    db.session.commit()

    # The first attempt, by a task after the commit, made the PDF (and kept it) though the server was down.
    wait_idle()
    [stored] = db.session.scalars(select(StoredPdf)).all()
    assert stored.draft is False and stored.proposal_id == proposal.id  # never cleaned up
    server_down.start()
    try:
        _make_due()
        assert runner.invoke(args=["outbox", "sweep"]).exit_code == 0
        [message] = mailbox.to(proposal.director_school.contact_email)
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == "SCAI – AAP 2021 – LAMPRIER.pdf"
        assert attachment.get_content() == stored.data  # the stored file, not a second render
        assert "Le PDF officiel est en pièce jointe" in mailbox.text(message)
        assert db.session.scalar(select(func.count(StoredPdf.id))) == 1
    finally:
        server_down.stop()
