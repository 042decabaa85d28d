"""A committee with one submitted proposal, helpers to read the events of one action and the actions
the code records."""

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

import portal
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


def recorded_actions() -> set[str]:
    """Every action the code passes to `record(...)`, read from the source."""
    recorded = set()
    for source in Path(portal.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "record"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                recorded.add(node.args[0].value)
    assert len(recorded) > 20
    return recorded
