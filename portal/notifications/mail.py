"""The one place e-mails leave from: rendered in the recipient's language, written to the outbox
(portal/notifications/outbox.py) in the current transaction, then logged or sent by SMTP."""

import logging
import re
import smtplib
import unicodedata
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale, get_locale

log = logging.getLogger(__name__)


Attachment = tuple[str, str, bytes]  # file name, MIME type, content
# Control characters (CR, LF, tab, NEL…), and the line and paragraph separators U+2028, U+2029.
_BREAKS = {"Cc", "Zl", "Zp"}
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class LaterAttachment:
    """A file made when the message is sent (portal/notifications/attachments.py), not when it is
    written: the change that causes the message commits without waiting for it.

    The template reads `filename`: this name, or "" in the copy sent when the file cannot be made.
    """

    kind: str
    key: int
    filename: str


def header_text(value: object) -> str:
    """One line for a mail header: line breaks and control characters become spaces.

    Every header made from what someone typed (a title in the subject, an address, a file name) goes
    through here: the email package refuses a header with a line break, which would lose the
    message, and a header must never be able to start another one.
    """
    # Not str.split(): it would also take the no-break spaces of French ("Proposition\u00a0: …").
    text = "".join(" " if unicodedata.category(char) in _BREAKS else char for char in str(value))
    return _SPACES.sub(" ", text).strip(" ")


def add_attachment(message: EmailMessage, filename: str, mime_type: str, data: bytes) -> None:
    # The email package writes non-ASCII names (MÉNARD, en dashes) per RFC 2231.
    maintype, _, subtype = mime_type.partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=header_text(filename))


def render_message(
    *, to: str, template: str, locale: str | None, attachments: list[Attachment] = (), **context
) -> EmailMessage:
    """Build the message from templates/emails/{template}.{subject,txt,html} in `locale`, or from
    the wording an administrator gave it for that language (overrides.py)."""
    from portal.notifications import overrides  # it imports the models, which import this package

    # A recipient who never chose a language reads the one of the page that caused the message.
    locale = (locale or str(get_locale()))[:2]
    with force_locale(locale):
        custom = overrides.render_override(template, locale, context)
        subject = custom.subject or render_template(f"emails/{template}.subject.txt", **context).strip()
        if custom.text:
            text, html = custom.text, overrides.html_part(custom.text)
        else:
            text = render_template(f"emails/{template}.txt", **context)
            html = render_template(f"emails/{template}.html", **context)
    message = EmailMessage()
    message["Subject"] = header_text(subject)
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = header_text(to)
    message["Message-ID"] = make_msgid(domain="prd-portal")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, mime_type, data in attachments:
        add_attachment(message, filename, mime_type, data)
    return message


def deliver(message: EmailMessage) -> None:
    """Hand the message to the configured backend."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "log":
        log.info("E-mail (not sent, MAIL_BACKEND=log):\n%s", message.get_body(("plain",)).as_string())
        log.info("To: %s | Subject: %s", message["To"], message["Subject"])
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_template(
    *,
    to: str,
    template: str,
    locale: str | None = None,
    attachments: list[Attachment] = (),
    later: LaterAttachment | None = None,
    **context,
) -> bool:
    """Render one message and write it to the outbox, in the current transaction (no commit here).

    A task sends it once that transaction commits; if the mail server fails, the outbox's sweep
    retries it. A rolled-back change sends nothing. Returns True: the message is queued.
    `later` names a file the sender makes and attaches; the message is also rendered without it,
    with an empty `filename`, to go out as it is should the file not be made.
    """

    # Here, not at the top: the outbox's models import the accounts package, which sends mail.
    from portal.notifications import outbox

    def rendered(**extra) -> EmailMessage:
        return render_message(
            to=to, template=template, locale=locale, attachments=attachments, **context, **extra
        )

    if later is None:
        outbox.queue(rendered())
    else:
        outbox.queue(rendered(filename=later.filename), later=later, without=rendered(filename=""))
    return True
