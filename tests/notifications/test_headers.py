"""Headers made from what people typed stay one line: a line break in a header loses the message
(the email package refuses it) or, written raw, would start a header of its own."""

import pytest
from flask import current_app

from portal.notifications.mail import header_text, render_message
from portal.notifications.samples import sample_context


@pytest.mark.parametrize(
    ("typed", "header"),
    [
        ("Memorization\r\nin deep networks", "Memorization in deep networks"),
        ("  two\n\nparagraphs \u2028 and\u2029more\x85end\t ", "two paragraphs and more end"),
        ("bell\x07and\x00null\x1bescape", "bell and null escape"),
        # French puts a no-break space before a colon: it is not a line break.
        ("Proposition rouverte\u00a0: PRD-2030-0001", "Proposition rouverte\u00a0: PRD-2030-0001"),
    ],
)
def test_header_text_folds_line_breaks_and_control_characters(typed, header):
    assert header_text(typed) == header


def test_a_typed_line_break_cannot_add_a_header(app_context):
    context = sample_context("proposal_transmitted")
    context["proposal"].title = "A title\r\nBcc: everyone@example.org"
    with current_app.test_request_context():
        message = render_message(
            to="ed@example.org\r\nBcc: other@example.org",
            template="proposal_transmitted",
            locale="fr",
            attachments=[("SCAI – AAP 2027\r\n– LOVELACE.pdf", "application/pdf", b"%PDF-1.7")],
            **context,
        )
    headers = message.as_bytes().split(b"\n\n", 1)[0]  # the body may say what it likes
    assert b"\nBcc:" not in headers and message["Bcc"] is None
    assert [address.addr_spec for address in message["To"].addresses] == ["ed@example.org"]
    assert message["Subject"].endswith("– A title Bcc: everyone@example.org")
    [attachment] = message.iter_attachments()
    assert attachment.get_filename() == "SCAI – AAP 2027 – LOVELACE.pdf"
