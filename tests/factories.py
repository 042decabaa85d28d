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


def close_call(campaign_row: Campaign) -> None:
    """The call (opened by `campaign()`) closes now, as at its deadline: reviews may start."""
    now = utcnow()
    if campaign_row.closes_at > now:
        campaign_row.closes_at = now - timedelta(seconds=1)
        campaign_row.opens_at = min(campaign_row.opens_at, campaign_row.closes_at - timedelta(days=1))
        db.session.commit()


def open_bidding(committee) -> None:
    """The committee's bidding opened yesterday and closes tomorrow."""
    now = utcnow()
    committee.bidding_opens_at, committee.bidding_closes_at = now - timedelta(days=1), now + timedelta(days=1)
    db.session.commit()


def end_reviews(committee) -> None:
    """The call has closed and the review deadline has just passed: decisions may be published."""
    close_call(committee.campaign)
    committee.review_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()


def call_with_initiative(acronym: str | None = None, year: int | None = None) -> tuple[Campaign, Initiative]:
    """A call open now with one initiative taking part in it, committed."""
    target = initiative(acronym)
    row = campaign(year)
    row.initiatives.append(target)
    db.session.commit()
    return row, target


def _hash(password: str) -> str:
    return hash_password(password)


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
        password_hash=_hash(password) if password else None,
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


def complete_content(
    *, initiative: Initiative, school: DoctoralSchool, email: str = "director@example.org"
) -> dict:
    """A proposal content that passes every submission rule."""
    return {
        "initiative": initiative.acronym,
        "title": "Memorization in deep networks",
        "keywords": ["deep learning", "generalization"],
        "language": "en",
        "director": {
            "last_name": "Lamprier",
            "first_name": "Sylvain",
            "title": "Assistant Professor",
            "email": email,
            "address": "4 place Jussieu, Paris",
            "hdr": True,
            "unit": {"acronym": "LIP6", "name": "Laboratoire d'informatique de Paris 6", "code": "UMR7606"},
            "doctoral_school": school.number,
            "students": [{"name": "Ada Martin", "start": "2022-09", "funding": "contrat ANR", "share": 50}],
        },
        "co_supervisor": None,
        "other_initiative_interest": {"answer": False, "details": ""},
        "cotutelle": {"answer": False, "partner": "", "country": ""},
        "description": "## Context\n\nA short description of the project.",
    }


def proposal(owner: User | None = None, *, campaign_row: Campaign | None = None, content: dict | None = None):
    """A draft owned by `owner` (a new supervisor by default) in an open campaign, content complete."""
    from portal.proposals.services import start_proposal

    owner = owner or user()
    if campaign_row is None:
        target = initiative()
        campaign_row = campaign()
        campaign_row.initiatives.append(target)
    else:
        target = campaign_row.initiatives[0]
    if content is None:
        content = complete_content(initiative=target, school=doctoral_school(), email=owner.email)
    row = start_proposal(campaign=campaign_row, owner=owner, content=content)
    db.session.commit()
    return row


def submitted_proposal(campaign_row: Campaign, owner: User | None = None, **changes):
    """A submitted proposal to the campaign's first initiative; `changes` update its content."""
    from portal.proposals.services import submit

    owner = owner or user()
    target = campaign_row.initiatives[0]
    content = complete_content(initiative=target, school=doctoral_school(), email=owner.email)
    content.update(changes)
    row = proposal(owner, campaign_row=campaign_row, content=content)
    # Once the call has closed (close_call), as submitted just before its deadline.
    at = None if campaign_row.closes_at > utcnow() else campaign_row.closes_at - timedelta(minutes=1)
    submit(proposal=row, content=None, base_version=row.version, author=owner, now=at)
    db.session.commit()
    return row


def submitted_review(committee, proposal_row, reviewer: User, marks: dict[int, str], **values):
    """A submitted review by `reviewer` (added to the committee) with marks by criterion position."""
    from portal.reviews.models import Recommendation
    from portal.reviews.reviewing import review_of, submit_review
    from portal.reviews.services import add_member, assign

    add_member(committee=committee, user=reviewer)
    assignment = assign(committee=committee, proposal=proposal_row, reviewer=reviewer, assigned_by=reviewer)
    close_call(committee.campaign)  # reviews start only then
    review = review_of(assignment)
    review.marks = {str(committee.criteria[position].id): mark for position, mark in marks.items()}
    review.recommendation = values.get("recommendation", Recommendation.accept)
    review.confidence = values.get("confidence", 3)
    review.comments_applicant = values.get("comments_applicant", "")
    review.comments_committee = values.get("comments_committee", "")
    submit_review(assignment=assignment, committee=committee)
    db.session.commit()
    return review


def reviewer(**values) -> User:
    """A reviewer from another university: no e-mail domain shared with the example directors."""
    return user(f"reviewer{_next()}@other-university.test", Role.supervisor, Role.reviewer, **values)
