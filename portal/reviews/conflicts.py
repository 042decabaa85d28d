"""Conflicts of interest between a reviewer and a proposal.

Detected from the proposal and the reviewer's profile (never stored, so a corrected profile or
proposal takes effect at once), plus those the reviewer declared or staff set (DeclaredConflict).
A detected conflict is only *suspected* until programme staff confirm or waive it (ConflictRuling,
conflict_rulings.py); the reviewer being the director or the co-supervisor by account or e-mail is
certain and cannot be waived. Every conflict blocks assignment and hides the proposal from the
reviewer, except a waived one.
"""

import enum
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.mail_domains import is_covered
from portal.reviews.models import ConflictRuling, ConflictVerdict, DeclaredConflict

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


class ConflictStatus(enum.Enum):
    """Where a conflict stands; never stored (a ruling or a declaration says it)."""

    certain = "certain"  # the reviewer is the director or the co-supervisor, by account or e-mail
    suspected = "suspected"  # detected, staff have not ruled yet
    confirmed = "confirmed"
    waived = "waived"
    declared = "declared"  # by the reviewer, or set by staff


# Detected kinds that are facts, not suspicions: no ruling applies to them.
CERTAIN_KINDS = frozenset({"self"})


@dataclass(frozen=True)
class Conflict:
    kind: str
    reason: str
    status: ConflictStatus = ConflictStatus.declared
    ruling: ConflictRuling | None = None

    @property
    def blocks(self) -> bool:
        return self.status is not ConflictStatus.waived

    @property
    def waivable(self) -> bool:
        """Staff may confirm or waive it: a detected conflict that is not a certainty."""
        return self.status in (ConflictStatus.suspected, ConflictStatus.confirmed, ConflictStatus.waived)


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

    proposal_id: int
    owner_id: int
    emails: frozenset[str]
    names: frozenset[str]
    unit_codes: frozenset[str]
    students: frozenset[str]
    domain: str
    # The people the director asked not to review the proposal.
    excluded_emails: frozenset[str]
    excluded_names: frozenset[str]


def proposal_keys(proposal: Proposal, content: dict | None = None) -> ProposalKeys:
    content = content or proposal.content
    people = _people(content)
    director_email = (content.get("director") or {}).get("email") or ""
    domain = _domain(director_email) if "@" in director_email else ""
    ignored = proposal.campaign.ignored_mail_domains or []
    excluded = content.get("excluded_reviewers") or []
    return ProposalKeys(
        proposal_id=proposal.id,
        owner_id=proposal.owner_id,
        emails=frozenset(_fold(person.get("email")) for person in people if person.get("email")),
        names=frozenset(_fold(f"{person.get('first_name')} {person.get('last_name')}") for person in people),
        unit_codes=frozenset(code for person in people if (code := _code(person.get("unit")))),
        students=frozenset(_fold(row.get("name")) for person in people for row in person.get("students", [])),
        domain="" if domain in PUBLIC_MAIL_DOMAINS or is_covered(domain, ignored) else domain,
        excluded_emails=frozenset(_fold(row.get("email")) for row in excluded if row.get("email")),
        excluded_names=frozenset(_fold(row.get("name")) for row in excluded if row.get("name")),
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
    unit_code = _code(user.unit_details) if user.unit_details else None
    return ReviewerKeys(
        user_id=user.id,
        email=user.email.casefold(),
        name=_fold(f"{user.first_name} {user.last_name}"),
        unit_code=unit_code,
        domain=_domain(user.email),
    )


def _kinds(reviewer: ReviewerKeys, keys: ProposalKeys) -> Iterator[str]:
    """The rules that match, lazily: assignment asks "any?" proposals × members times."""
    if reviewer.user_id == keys.owner_id or reviewer.email in keys.emails:
        yield "self"
    elif reviewer.name and reviewer.name in keys.names:
        # A name alone may be a namesake: suspected, unlike the account or the address.
        yield "supervisor"
    if reviewer.unit_code and reviewer.unit_code in keys.unit_codes:
        yield "unit"
    if reviewer.name and reviewer.name in keys.students:
        yield "supervision"
    if keys.domain and reviewer.domain == keys.domain:
        yield "domain"
    if reviewer.email in keys.excluded_emails or (reviewer.name and reviewer.name in keys.excluded_names):
        yield "excluded"


def _reason(kind: str, reviewer: ReviewerKeys, keys: ProposalKeys) -> str:
    if kind == "self":
        return str(_l("The reviewer is the director or the co-supervisor."))
    if kind == "supervisor":
        return str(_l("Same name as the director or the co-supervisor."))
    if kind == "unit":
        return str(_l("Same research unit (%(code)s).", code=reviewer.unit_code))
    if kind == "supervision":
        return str(_l("Appears in the supervision lists of the proposal."))
    if kind == "domain":
        return str(_l("Same e-mail domain as the director (%(domain)s).", domain=keys.domain))
    return str(_l("The director asked that this person not review the proposal."))


def any_detected(reviewer: ReviewerKeys, keys: ProposalKeys) -> bool:
    return next(_kinds(reviewer, keys), None) is not None


def _status(kind: str, ruling: ConflictRuling | None) -> ConflictStatus:
    if kind in CERTAIN_KINDS:
        return ConflictStatus.certain
    if ruling is not None and kind in ruling.kinds:
        return ConflictStatus(ruling.verdict.value)
    return ConflictStatus.suspected


def _detected(reviewer: ReviewerKeys, keys: ProposalKeys, ruling: ConflictRuling | None) -> list[Conflict]:
    return [
        Conflict(kind, _reason(kind, reviewer, keys), _status(kind, ruling), ruling)
        for kind in _kinds(reviewer, keys)
    ]


def detected(user: User, proposal: Proposal, content: dict | None = None) -> list[Conflict]:
    """What the rules find between the reviewer and the proposal (or `content`), before any ruling."""
    return _detected(reviewer_keys(user), proposal_keys(proposal, content), None)


class PairConflicts:
    """The declarations and rulings of some proposals, loaded in two queries, so that a board, a
    list or the automatic plan classifies proposals × members without a query per pair."""

    def __init__(self, proposal_ids: list[int]):
        self.declared: dict[tuple[int, int], list[DeclaredConflict]] = {}
        self.rulings: dict[tuple[int, int], ConflictRuling] = {}
        if not proposal_ids:
            return
        for row in db.session.scalars(
            select(DeclaredConflict).where(DeclaredConflict.proposal_id.in_(proposal_ids))
        ):
            self.declared.setdefault((row.proposal_id, row.user_id), []).append(row)
        for ruling in db.session.scalars(
            select(ConflictRuling).where(ConflictRuling.proposal_id.in_(proposal_ids))
        ):
            self.rulings[(ruling.proposal_id, ruling.user_id)] = ruling

    def of(self, reviewer: "ReviewerKeys | User", keys: ProposalKeys) -> list[Conflict]:
        """Every conflict of the pair, each with its reason and status (waived ones included)."""
        if isinstance(reviewer, User):
            reviewer = reviewer_keys(reviewer)
        pair = (keys.proposal_id, reviewer.user_id)
        return _detected(reviewer, keys, self.rulings.get(pair)) + [
            Conflict(row.source.value, row.reason or str(_l("Declared conflict.")))
            for row in self.declared.get(pair, [])
        ]

    def blocks(self, reviewer: ReviewerKeys, keys: ProposalKeys) -> bool:
        """Any conflict of the pair but a waived one, without building messages."""
        pair = (keys.proposal_id, reviewer.user_id)
        if pair in self.declared:
            return True
        if not any_detected(reviewer, keys):
            return False
        ruling = self.rulings.get(pair)
        waived = ruling.kinds if ruling is not None and ruling.verdict is ConflictVerdict.waived else ()
        return any(kind not in waived for kind in _kinds(reviewer, keys))


def declared(user: User, proposal: Proposal) -> list[Conflict]:
    return [
        conflict for conflict in conflicts_of(user, proposal) if conflict.status is ConflictStatus.declared
    ]


def conflicts_of(user: User, proposal: Proposal) -> list[Conflict]:
    return PairConflicts([proposal.id]).of(user, proposal_keys(proposal))


def in_conflict(user: User, proposal: Proposal) -> bool:
    """Blocked from the proposal: a conflict that staff have not waived."""
    return PairConflicts([proposal.id]).blocks(reviewer_keys(user), proposal_keys(proposal))
