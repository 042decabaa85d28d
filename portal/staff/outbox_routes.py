"""Administrators see the e-mails that are not delivered yet (or gave up) and send them again, how
many tasks wait in each queue, and the background work that failed for good, with its reason."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.permissions import admin_required
from portal.extensions import db
from portal.notifications import outbox
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.staff import bp
from portal.tasks import records
from portal.tasks.queues import depths

SHOWN = 200


@bp.route("/outbox")
@admin_required
def outbox_messages():
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.sent)
        .order_by(OutboxMessage.status, OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(SHOWN)
    )
    messages = list(db.session.scalars(query))
    failed = [m for m in messages if m.status is OutboxStatus.failed]
    pending = [m for m in messages if m.status is OutboxStatus.pending]
    return render_template(
        "staff/outbox.html",
        failed=failed,
        pending=pending,
        queue_depths=depths(),
        failed_tasks=records.recent_failures(),
    )


@bp.route("/outbox/<int:message_id>/resend", methods=["POST"])
@admin_required
def outbox_resend(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    if message.status is OutboxStatus.sent:
        abort(409)
    outbox.resend(message)
    db.session.commit()  # the message leaves right after, or the worker retries it
    flash(_("The e-mail to %(recipients)s is queued again.", recipients=message.recipients), "success")
    return redirect(url_for("staff.outbox_messages"))
