"""A proposal's audit trail for its staff, and the whole log for administrators (read-only)."""

from datetime import date, datetime, time, timedelta

from flask import render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from portal.audit import bp
from portal.audit.actions import ACTIONS, action_label
from portal.audit.models import AuditEvent
from portal.audit.permissions import can_read_trail, trail_proposal
from portal.auth.permissions import admin_required
from portal.extensions import db
from portal.timezones import paris_to_utc

PER_PAGE = 50

bp.add_app_template_filter(action_label, "audit_action")


@bp.app_context_processor
def _audit_helpers():
    return {"can_read_audit_trail": lambda proposal: can_read_trail(current_user, proposal)}


@bp.route("/proposals/<int:proposal_id>")
@login_required
def proposal_trail(proposal_id: int):
    proposal, reader = trail_proposal(proposal_id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.proposal_id == proposal.id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if reader.actions is not None:
        # In the query, so that counts and pages hold only what the reader may see.
        query = query.where(AuditEvent.action.in_(reader.actions))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("audit/proposal.html", proposal=proposal, page=page, show_ip=reader.is_staff)


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _object_filter(value: str) -> tuple[str, int | None]:
    """'proposal' or 'proposal:42' (also 'proposal 42' and '42' alone, meaning a proposal)."""
    kind, _sep, number = value.replace(" ", ":").partition(":")
    if kind.isdigit() and not number:
        return "proposal", int(kind)
    return kind.strip().lower(), int(number) if number.strip().isdigit() else None


@bp.route("/")
@admin_required
def events():
    filters = {name: request.args.get(name, "").strip() for name in ("action", "actor", "object")}
    start, end = _day("from"), _day("to")
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if filters["action"]:
        query = query.where(AuditEvent.action.startswith(filters["action"], autoescape=True))
    if filters["actor"]:
        query = query.where(AuditEvent.actor_label.ilike(f"%{filters['actor'].lower()}%"))
    if filters["object"]:
        kind, number = _object_filter(filters["object"])
        if kind == "proposal" and number is not None:
            query = query.where(AuditEvent.proposal_id == number)
        else:
            query = query.where(AuditEvent.object_type == kind)
            if number is not None:
                query = query.where(AuditEvent.object_id == number)
    # Days are Paris days, as the staff live them.
    if start:
        query = query.where(AuditEvent.at >= paris_to_utc(datetime.combine(start, time())))
    if end:
        query = query.where(AuditEvent.at < paris_to_utc(datetime.combine(end + timedelta(days=1), time())))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    arguments = {**filters, "from": start.isoformat() if start else "", "to": end.isoformat() if end else ""}
    return render_template("audit/events.html", page=page, arguments=arguments, actions=ACTIONS)
