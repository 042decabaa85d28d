"""The list of written messages, and one message as its recipient would read it."""

import ipaddress
import re

from flask import abort, render_template, request
from markupsafe import Markup, escape
from sqlalchemy import select

from portal.devmail import bp
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.outbox import parse

PAGE_SIZE = 100
_URL = re.compile(r"https?://[^\s<>\"]+")


@bp.before_request
def _this_machine_only():
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local:
        abort(404)


def _linked(text: str) -> Markup:
    """The text, escaped, with its addresses made links (a confirmation, a reset, a proposal)."""
    parts, position = [], 0
    for match in _URL.finditer(text):
        parts.append(escape(text[position : match.start()]))
        url = match.group(0)
        parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@bp.route("/")
def index():
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)).all()
    return render_template("devmail/index.html", rows=rows)


@bp.route("/<int:message_id>")
def message(message_id: int):
    row = db.session.get(OutboxMessage, message_id) or abort(404)
    parsed = parse(row.raw)
    body = parsed.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    files = [part.get_filename() for part in parsed.iter_attachments()]
    if row.attachment_name:
        files.append(row.attachment_name)
    return render_template("devmail/message.html", row=row, message=parsed, body=_linked(text), files=files)
