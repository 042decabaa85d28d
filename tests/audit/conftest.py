"""A committee with one submitted proposal, and a helper to read the events of one action."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from tests import factories


def events(action: str) -> list[AuditEvent]:
    """The events of `action`, oldest first."""
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def last(action: str) -> AuditEvent:
    found = events(action)
    assert found, f"no {action} event"
    return found[-1]


@pytest.fixture
def submitted(committee):
    return factories.submitted_proposal(committee.campaign)
