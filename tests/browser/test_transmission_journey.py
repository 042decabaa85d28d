"""Issue 6: a director submits in Chromium, and the doctoral school's mailbox receives the official PDF
under its official name, as the school received it by hand before the portal."""

from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser import staff_world as world
from tests.browser.conftest import LiveServer
from tests.browser.steps import data, sign_in
from tests.mailsink import MailSink

DIRECTOR = "elise.lefevre@example.org"
SCHOOL_MAILBOX = "edite@example.org"
OTHER_SCHOOL_MAILBOX = "edmh@example.org"
TITLE = "Certified robustness of graph neural networks"
# En dashes, and the surname in capitals with its accent.
OFFICIAL_NAME = "SCAI \u2013 AAP 2026 \u2013 LEFÈVRE.pdf"
SUBMISSION_MS = 20_000


@pytest.fixture
def proposal_id(live: LiveServer) -> int:
    """Élise Lefèvre of ED130 has a complete draft for SCAI; ED386 is another school with a mailbox."""
    with data(live):
        campaign = world.open_call("SCAI")
        world.school("ED386", "EDMH")
        owner = world.director(DIRECTOR, "Élise", "Lefèvre", world.school("ED130", "EDITE"))
        return world.draft(campaign, "SCAI", owner, TITLE).id


def pdf_attachments(message: EmailMessage) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_content()
        for part in message.iter_attachments()
        if part.get_content_type() == "application/pdf"
    }


def test_submission_sends_the_named_pdf_to_the_doctoral_school(
    page: Page, live: LiveServer, proposal_id: int, mail_server: MailSink
):
    sign_in(page, live.app, DIRECTOR, factories.PASSWORD)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="My proposals").click()
    row = page.get_by_role("row").filter(has_text=TITLE)
    expect(row.locator(".badge")).to_have_text("Draft")
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    assert mail_server.messages == []

    # The request measures the description and, right after its commit, the school's message makes
    # the PDF it carries: seconds, not millis.
    page.get_by_role("button", name="Submit the proposal").click(timeout=SUBMISSION_MS)
    expect(page.get_by_role("heading", level=1)).to_have_text("Submission receipt")
    reference = f"PRD-2026-{proposal_id:04d}"
    expect(page.locator(".receipt")).to_contain_text(reference)

    # The receipt page is served after the commit that sent the message: it is in the mailbox now.
    message = mail_server.last_to(SCHOOL_MAILBOX)
    assert world.PROGRAMME_MAILBOX in message["To"]
    assert mail_server.to(OTHER_SCHOOL_MAILBOX) == []
    assert reference in message["Subject"] and TITLE in message["Subject"]
    attachments = pdf_attachments(message)
    assert list(attachments) == [OFFICIAL_NAME], list(attachments)
    assert attachments[OFFICIAL_NAME].startswith(b"%PDF-")
    # The director gets a receipt, without the school's copy of the PDF.
    receipt = mail_server.last_to(DIRECTOR)
    assert reference in MailSink.text(receipt)
    assert SCHOOL_MAILBOX not in receipt["To"]
