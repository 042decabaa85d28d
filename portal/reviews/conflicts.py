"""Conflicts of interest between a reviewer and a proposal.

Detected from the proposal and the reviewer's profile (never stored, so a corrected profile or
proposal takes effect at once), plus those the reviewer declared or staff set (DeclaredConflict).
"""

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reviews.models import DeclaredConflict

# Addresses at these providers say nothing about a laboratory.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "yahoo.fr",
        "yahoo.com",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "protonmail.com",
    }
)


@dataclass(frozen=True)
class Conflict:
    kind: str
    reason: str


def _fold(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


def _code(unit: dict | None) -> str | None:
    code = (unit or {}).get("code") or ""
    return normalise_unit_code(code) if is_unit_code(code) else None


def _domain(email: str) -> str:
    return email.rpartition("@")[2].casefold()


def _people(content: dict) -> list[dict]:
    return [person for person in (content.get("director"), content.get("co_supervisor")) if person]


@dataclass(frozen=True)
class ProposalKeys:
    """What a proposal says about the people around it, folded once for many comparisons."""

    owner_id: int
    emails: frozenset[str]
    names: frozenset[str]
    unit_codes: frozenset[str]
    students: frozenset[str]
    domain: str


def proposal_keys(proposal: Proposal, content: dict | None = None) -> ProposalKeys:
    content = content or proposal.content
    people = _people(content)
    director_email = (content.get("director") or {}).get("email") or ""
    domain = _domain(director_email) if "@" in director_email else ""
    return ProposalKeys(
        owner_id=proposal.owner_id,
        emails=frozenset(_fold(person.get("email")) for person in people if person.get("email")),
        names=frozenset(_fold(f"{person.get('first_name')} {person.get('last_name')}") for person in people),
        unit_codes=frozenset(code for person in people if (code := _code(person.get("unit")))),
        students=frozenset(_fold(row.get("name")) for person in people for row in person.get("students", [])),
        domain="" if domain in PUBLIC_MAIL_DOMAINS else domain,
    )


@dataclass(frozen=True)
class ReviewerKeys:
    """What identifies a reviewer for conflict checks, folded once."""

    user_id: int
    email: str
    name: str
    unit_code: str | None
    domain: str


def reviewer_keys(user: User) -> ReviewerKeys:
    unit_code = _code({"code": user.research_unit.code}) if user.research_unit else None
    return ReviewerKeys(
        user_id=user.id,
        email=user.email.casefold(),
        name=_fold(f"{user.first_name} {user.last_name}"),
        unit_code=unit_code,
        domain=_domain(user.email),
    )


def detected_from_keys(reviewer: "ReviewerKeys | User", keys: ProposalKeys) -> list[Conflict]:
    """The detected conflicts, each with its reason; `reviewer` is a user or their folded keys."""
    if isinstance(reviewer, User):
        reviewer = reviewer_keys(reviewer)
    found: list[Conflict] = []
    if (
        reviewer.user_id == keys.owner_id
        or reviewer.email in keys.emails
        or (reviewer.name and reviewer.name in keys.names)
    ):
        found.append(Conflict("supervisor", str(_l("The reviewer is the director or the co-supervisor."))))
    if reviewer.unit_code and reviewer.unit_code in keys.unit_codes:
        found.append(Conflict("unit", str(_l("Same research unit (%(code)s).", code=reviewer.unit_code))))
    if reviewer.name and reviewer.name in keys.students:
        found.append(Conflict("supervision", str(_l("Appears in the supervision lists of the proposal."))))
    if keys.domain and reviewer.domain == keys.domain:
        found.append(
            Conflict(
                "domain", str(_l("Same e-mail domain as the director (%(domain)s).", domain=keys.domain))
            )
        )
    return found


def any_detected(reviewer: ReviewerKeys, keys: ProposalKeys) -> bool:
    """detected_from_keys(...) != [], without building messages: assignment checks it many times."""
    return (
        reviewer.user_id == keys.owner_id
        or reviewer.email in keys.emails
        or bool(reviewer.name and (reviewer.name in keys.names or reviewer.name in keys.students))
        or bool(reviewer.unit_code and reviewer.unit_code in keys.unit_codes)
        or bool(keys.domain and reviewer.domain == keys.domain)
    )


def detected(user: User, proposal: Proposal, content: dict | None = None) -> list[Conflict]:
    """Conflicts that follow from who the reviewer is and what the proposal says."""
    return detected_from_keys(reviewer_keys(user), proposal_keys(proposal, content))


def declared(user: User, proposal: Proposal) -> list[Conflict]:
    rows = db.session.scalars(
        select(DeclaredConflict).where(
            DeclaredConflict.proposal_id == proposal.id, DeclaredConflict.user_id == user.id
        )
    )
    return [Conflict(row.source.value, row.reason or str(_l("Declared conflict."))) for row in rows]


def conflicts_of(user: User, proposal: Proposal) -> list[Conflict]:
    return detected(user, proposal) + declared(user, proposal)


def in_conflict(user: User, proposal: Proposal) -> bool:
    return bool(detected(user, proposal)) or bool(declared(user, proposal))


def declared_pairs(proposal_ids: list[int]) -> set[tuple[int, int]]:
    """(proposal id, user id) of every declared conflict on these proposals, in one query."""
    if not proposal_ids:
        return set()
    rows = db.session.execute(
        select(DeclaredConflict.proposal_id, DeclaredConflict.user_id).where(
            DeclaredConflict.proposal_id.in_(proposal_ids)
        )
    )
    return {(proposal_id, user_id) for proposal_id, user_id in rows}
