"""Test data: users with roles, reference rows. Each call writes and commits."""

import time
from datetime import UTC, datetime, timedelta

import pyotp

from portal.auth import services, totp
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.db import utcnow
from portal.extensions import db
from portal.reference.models import Campaign, CampaignState, DoctoralSchool, Initiative, ResearchUnit

PASSWORD = "correct horse battery"
_counter = {"n": 0}


def _next() -> int:
    _counter["n"] += 1
    return _counter["n"]


def initiative(acronym: str | None = None, **values) -> Initiative:
    acronym = acronym or f"INI{_next()}"
    row = Initiative(
        acronym=acronym, name=f"Initiative {acronym}", contact_email=f"{acronym.lower()}@example.org"
    )
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.commit()
    return row


def doctoral_school(number: str | None = None, **values) -> DoctoralSchool:
    number = number or f"ED{900 + _next()}"
    row = DoctoralSchool(
        number=number, acronym=number, name=f"School {number}", contact_email="ed@example.org"
    )
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.commit()
    return row


def research_unit(code: str | None = None) -> ResearchUnit:
    code = code or f"UMR{7000 + _next()}"
    row = ResearchUnit(code=code, acronym=f"U{code[-4:]}", name=f"Unit {code}")
    db.session.add(row)
    db.session.commit()
    return row


def campaign(year: int | None = None, *, open_now: bool = True, **values) -> Campaign:
    now = utcnow()
    row = Campaign(
        name=f"AAP {year or 2000 + _next()}",
        year=year or 2000 + _counter["n"],
        opens_at=now - timedelta(days=10) if open_now else datetime(2020, 12, 1, tzinfo=UTC),
        closes_at=now + timedelta(days=10) if open_now else datetime(2021, 2, 20, tzinfo=UTC),
        contact_email="programme@example.org",
        state=CampaignState.published,
    )
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    db.session.commit()
    return row


def user(
    email: str | None = None,
    *roles: Role,
    scope=None,
    password: str = PASSWORD,
    confirmed: bool = True,
    two_factor: bool = False,
    **values,
) -> User:
    """A user; staff roles take `scope` (a DoctoralSchool or Initiative, made if not given)."""
    row = User(
        email=email or f"user{_next()}@example.org",
        password_hash=hash_password(password) if password else None,
        first_name="Test",
        last_name=f"User{_counter['n']}",
        email_confirmed_at=utcnow() if confirmed else None,
    )
    for name, value in values.items():
        setattr(row, name, value)
    db.session.add(row)
    for role in roles or (Role.supervisor,):
        role_scope = None
        if role is Role.school_staff:
            role_scope = scope if isinstance(scope, DoctoralSchool) else doctoral_school()
        elif role is Role.programme_staff:
            role_scope = scope if isinstance(scope, Initiative) else initiative()
        services.grant_role(user=row, role=role, scope=role_scope)
    if two_factor:
        totp.enable(row, pyotp.random_base32())
    db.session.commit()
    return row


def fresh_code(user: User) -> str:
    """A valid code not used yet: the replay guard refuses a time step already used."""
    db.session.refresh(user)
    step = int(time.time() // 30)
    if user.totp_last_step is not None and user.totp_last_step >= step - 1:
        step = user.totp_last_step + 1
    assert step <= int(time.time() // 30) + 1, "no unused code left in the window"
    return pyotp.TOTP(totp.secret_of(user)).at(step * 30)
