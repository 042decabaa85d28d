"""The one place e-mails leave from: rendered in the recipient's language, written to the outbox
(portal/notifications/outbox.py) in the current transaction, then logged or sent by SMTP."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale, get_locale

from portal.notifications import outbox

log = logging.getLogger(__name__)


Attachment = tuple[str, str, bytes]  # file name, MIME type, content


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
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="prd-portal")
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    for filename, mime_type, data in attachments:
        # The email package writes non-ASCII names (MÉNARD, en dashes) per RFC 2231.
        maintype, _, subtype = mime_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
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
    *, to: str, template: str, locale: str | None = None, attachments: list[Attachment] = (), **context
) -> bool:
    """Render one message and write it to the outbox, in the current transaction (no commit here).

    It leaves right after that transaction commits; if the mail server fails, `flask outbox run`
    retries it. A rolled-back change sends nothing. Returns True: the message is queued.
    """
    message = render_message(to=to, template=template, locale=locale, attachments=attachments, **context)
    outbox.queue(message)
    return True
