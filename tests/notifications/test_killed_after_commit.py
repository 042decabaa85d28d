"""Issue 11, point 2: a process killed right after a submission's commit loses neither the receipt
nor the transmission: they were written in that commit, and the outbox worker sends them once."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.proposals import measures
from portal.proposals.models import ProposalState
from tests import factories
from tests.notifications.killed_after_commit import KILLED

ROOT = Path(__file__).resolve().parents[2]
OFFICIAL_NAME = "SCAI \u2013 AAP 2021 \u2013 LAMPRIER.pdf"


@pytest.mark.real_commits  # another process reads what the test wrote, and the test what it wrote
def test_a_process_killed_after_the_submission_commit_leaves_both_messages_to_the_worker(
    app_context, database_url, mail_server, mailbox, runner, task_worker
):
    call, _ = factories.call_with_initiative("SCAI", 2021)
    proposal = factories.proposal(campaign_row=call)
    # The director counted the pages before: the submission reads that count (it commits nothing
    # before the submission's own commit, where the child dies).
    measures.ask(proposal, proposal.content["description"], proposal.owner)
    db.session.commit()
    task_worker.wait_idle()
    school = proposal.director_school.contact_email
    director = proposal.owner.email

    child = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.notifications.killed_after_commit"]
        + [database_url, str(mail_server.port), str(proposal.id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == KILLED, child.stderr[-3000:]
    db.session.expire_all()
    assert proposal.state is ProposalState.submitted
    assert mailbox.messages == []  # it died before its own delivery attempt

    result = runner.invoke(args=["outbox", "sweep"])
    assert result.exit_code == 0, result.output
    [receipt] = mailbox.to(director)
    assert f"PRD-2021-{proposal.id:04d}" in mailbox.text(receipt)
    [transmission] = mailbox.to(school)
    assert "programme@example.org" in transmission["To"]
    [attachment] = list(transmission.iter_attachments())
    assert attachment.get_filename() == OFFICIAL_NAME
    assert attachment.get_content().startswith(b"%PDF-")
    assert len(mailbox.messages) == 2

    runner.invoke(args=["outbox", "sweep"])
    assert len(mailbox.messages) == 2
    # The rows hold no PDF made in the request: the worker made it.
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert all(b"%PDF" not in row.raw for row in rows)
