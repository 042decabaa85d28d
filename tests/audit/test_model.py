"""The log is append-only: rows cannot be changed or removed through the ORM."""

import pytest
from sqlalchemy import delete, update

from portal.audit.models import AuditEvent, AuditLogIsAppendOnly
from portal.audit.services import record
from portal.extensions import db
from tests import factories
from tests.audit.conftest import events


@pytest.fixture
def event(app_context):
    user = factories.user("ada@example.org")
    row = record("account.enabled", actor=user, obj=user)
    db.session.commit()
    return row


def test_a_recorded_event_names_actor_time_object(event):
    assert event.actor_label == "ada@example.org" and event.actor_id is not None
    assert event.at.tzinfo is not None and (event.object_type, event.object_id) == ("user", event.actor_id)
    assert event.ip is None  # outside a request


def test_an_event_cannot_be_updated(event):
    event.action = "account.disabled"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "account.enabled"


def test_an_event_cannot_be_deleted(event):
    db.session.delete(event)
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id) is not None


def test_bulk_statements_are_refused_too(event):
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEvent).values(action="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEvent))
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).action == "account.enabled"


def test_recording_does_not_commit(event):
    """The event lands with the change it describes: a rolled-back change leaves none behind."""
    user = factories.user()
    record("account.disabled", actor=user, obj=user)
    db.session.rollback()
    assert events("account.disabled") == []
