"""`record(...)`: the services call it after each change, inside the same transaction."""

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from portal.audit.models import AuditEvent
from portal.extensions import db


def _object_type(obj) -> str:
    return getattr(obj, "__tablename__", type(obj).__name__.lower()).removesuffix("s")


def _json(value: Any) -> Any:
    """Details as JSON: enums by value, model rows by id, dates in ISO format."""
    if isinstance(value, dict):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_json(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "__tablename__"):
        return getattr(value, "id", None)
    return str(value)


def _current_actor():
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(
    action: str, *, actor=None, obj=None, proposal=None, actor_label: str | None = None, **details
) -> AuditEvent:
    """Add an audit event to the session (no commit: it lands with the change it describes).

    The actor defaults to the signed-in user of the request; `obj` names the object changed.
    """
    actor = actor if actor is not None else _current_actor()
    if actor_label is None:
        actor_label = actor.email if actor is not None else ""
    if (obj is not None and obj.id is None) or (proposal is not None and proposal.id is None):
        db.session.flush()  # the event names rows by id: give new ones theirs
    if proposal is None and obj is not None and _object_type(obj) == "proposal":
        proposal = obj
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label[:254],
        action=action,
        object_type=_object_type(obj) if obj is not None else None,
        object_id=obj.id if obj is not None else None,
        proposal_id=proposal.id if proposal is not None else None,
        details=_json(details),
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
