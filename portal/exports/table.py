"""One row per proposal: every field of the form, typed, the doctoral school's opinion, and the
committee's scores for those who see them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.models import Role, User
from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import Committee
from portal.reviews.ranking import ranking
from portal.timezones import utc_to_paris

Value = str | int | float | bool | datetime | None


@dataclass(frozen=True)
class Column:
    title: object  # a lazy string: translated when the file is written
    width: int  # in characters, for the XLSX
    value: Callable[[Proposal, dict], Value]


def _students(people: list[dict]) -> str:
    return "; ".join(
        f"{s.get('name', '')} ({s.get('start', '')}, {s.get('funding', '')}, {s.get('share', 0)} %)"
        for s in people
    )


def _person_columns(key: str, prefix: object, *, address: bool) -> list[Column]:
    def get(field: str, default: Value = "") -> Callable[[Proposal, dict], Value]:
        return lambda _p, content: (content.get(key) or {}).get(field, default)

    def unit(field: str) -> Callable[[Proposal, dict], Value]:
        return lambda _p, content: ((content.get(key) or {}).get("unit") or {}).get(field, "")

    def students(content: dict) -> list[dict]:
        return (content.get(key) or {}).get("students") or []

    columns = [
        Column(f"{prefix} – " + str(_l("last name")), 18, get("last_name")),
        Column(f"{prefix} – " + str(_l("first name")), 16, get("first_name")),
        Column(f"{prefix} – " + str(_l("position")), 20, get("title")),
        Column(f"{prefix} – " + str(_l("e-mail")), 28, get("email")),
    ]
    if address:
        columns += [
            Column(f"{prefix} – " + str(_l("address")), 30, get("address")),
            Column(f"{prefix} – " + str(_l("HDR")), 6, get("hdr", None)),
        ]
    columns += [
        Column(f"{prefix} – " + str(_l("unit")), 12, unit("acronym")),
        Column(f"{prefix} – " + str(_l("unit name")), 30, unit("name")),
        Column(f"{prefix} – " + str(_l("unit code")), 12, unit("code")),
        Column(f"{prefix} – " + str(_l("doctoral school")), 12, get("doctoral_school", None)),
    ]
    if not address:
        columns.append(
            Column(f"{prefix} – " + str(_l("other doctoral school")), 20, get("doctoral_school_other", None))
        )
    columns += [
        Column(f"{prefix} – " + str(_l("PhD students")), 40, lambda _p, c: _students(students(c))),
        Column(f"{prefix} – " + str(_l("number of PhD students")), 10, lambda _p, c: len(students(c))),
        Column(
            f"{prefix} – " + str(_l("total supervision share (%)")),
            10,
            lambda _p, c: sum(int(s.get("share") or 0) for s in students(c)),
        ),
    ]
    return columns


def _paris(moment: datetime | None) -> datetime | None:
    # Spreadsheets know no time zones: the Paris wall-clock time, as shown everywhere else.
    return utc_to_paris(moment).replace(tzinfo=None) if moment is not None else None


def _submitted_at(proposal: Proposal, _content: dict) -> datetime | None:
    return _paris(proposal.submitted_at)


def form_columns() -> list[Column]:
    """Every field of the form except the description (the PDF carries it), in the form's order."""
    return [
        Column(_l("Id"), 6, lambda p, _c: p.id),
        Column(_l("Call"), 8, lambda p, _c: p.campaign.year),
        Column(_l("Initiative"), 10, lambda _p, c: c.get("initiative", "")),
        Column(_l("Title"), 50, lambda _p, c: c.get("title", "")),
        Column(_l("Keywords"), 30, lambda _p, c: "; ".join(c.get("keywords") or [])),
        Column(_l("Language"), 8, lambda _p, c: c.get("language", "")),
        *_person_columns("director", _l("Director"), address=True),
        *_person_columns("co_supervisor", _l("Co-supervisor"), address=False),
        Column(
            _l("Of interest to another initiative"),
            10,
            lambda _p, c: (c.get("other_initiative_interest") or {}).get("answer"),
        ),
        Column(
            _l("Other initiative: which and why"),
            30,
            lambda _p, c: (c.get("other_initiative_interest") or {}).get("details", ""),
        ),
        Column(_l("Cotutelle"), 10, lambda _p, c: (c.get("cotutelle") or {}).get("answer")),
        Column(_l("Cotutelle partner"), 24, lambda _p, c: (c.get("cotutelle") or {}).get("partner", "")),
        Column(_l("Cotutelle country"), 14, lambda _p, c: (c.get("cotutelle") or {}).get("country", "")),
        Column(_l("Submitted (Paris time)"), 17, _submitted_at),
    ]


def opinion_titles() -> list[tuple[str, int]]:
    """The opinion's four columns, named in the reader's language (so at request time)."""
    prefix = str(_l("School opinion"))
    return [
        (prefix, 14),
        (f"{prefix} – " + str(_l("comment")), 40),
        (f"{prefix} – " + str(_l("given by")), 20),
        (f"{prefix} – " + str(_l("date (Paris time)")), 17),
    ]


def _opinions(proposals: list[Proposal]) -> dict[int, tuple[Value, ...]]:
    """The doctoral school's opinion of each proposal (one query), its label in the reader's language."""
    opinions = opinions_of([proposal.id for proposal in proposals])
    return {
        proposal_id: (
            str(OPINIONS[row.opinion]),
            row.comment,
            row.author.display_name if row.author is not None else None,
            _paris(row.updated_at),
        )
        for proposal_id, row in opinions.items()
    }


SCORE_TITLES = [
    (_l("Weighted total"), 10),
    (_l("Reviews"), 8),
    (_l("Rank"), 6),
    (_l("Decision"), 18),
    (_l("Waiting list rank"), 8),
    (_l("Contract"), 22),
    (_l("Referred to"), 12),
    (_l("Referral comment"), 40),
    (_l("Referral answer"), 24),
]
EMPTY_SCORES = (None,) * len(SCORE_TITLES)


def sees_scores(user: User | None) -> bool:
    """Programme staff and administrators (and the command line) get the score columns."""
    return user is None or user.is_admin or user.has_role(Role.programme_staff)


def _scores(proposals: list[Proposal], user: User | None) -> dict[int, tuple[Value, ...]]:
    """Total, reviews, rank and decision of each proposal whose committee `user` manages."""
    from portal.labels import label  # here: portal.labels imports the review routes' forms

    allowed = None if user is None or user.is_admin else user.staff_initiative_ids()
    wanted = {
        (p.campaign_id, p.initiative_id)
        for p in proposals
        if p.initiative_id is not None and (allowed is None or p.initiative_id in allowed)
    }
    if not wanted:
        return {}
    committees = db.session.scalars(
        select(Committee).where(Committee.campaign_id.in_({campaign for campaign, _ in wanted}))
    )
    scores: dict[int, tuple[Value, ...]] = {}
    for committee in committees:
        if (committee.campaign_id, committee.initiative_id) not in wanted:
            continue
        for position, row in enumerate(ranking(committee), start=1):
            decision = row.decision
            ranked = row.total is not None or (decision is not None and decision.rank)
            scores[row.proposal.id] = (
                round(row.total, 4) if row.total is not None else None,
                row.reviews,
                position if ranked else None,
                label(decision.outcome) if decision is not None and decision.outcome else None,
                decision.waiting_rank if decision is not None else None,
                _contract(decision),
            )
    return scores


def _contract(decision) -> Value:
    """A contract given back, or one offered from the waiting list; None otherwise."""
    from portal.labels import label

    if decision is None:
        return None
    if decision.released is not None:
        return label(decision.released)
    return str(_l("Offered from the waiting list")) if decision.offered_at is not None else None


def _referral_cells(proposals: list[Proposal], user: User | None) -> dict[int, tuple[Value, ...]]:
    """Where each proposal was referred, why, and the answer: all of it for the staff of the
    proposal's initiative, the referrals to their own initiatives for the others (one query)."""
    from portal.labels import label
    from portal.reviews.referrals import referrals_of

    mine = None if user is None or user.is_admin else user.staff_initiative_ids()
    initiative_of = {proposal.id: proposal.initiative_id for proposal in proposals}
    cells: dict[int, tuple[Value, ...]] = {}
    for proposal_id, referrals in referrals_of(initiative_of).items():
        if mine is not None and initiative_of[proposal_id] not in mine:
            referrals = [r for r in referrals if r.initiative_id in mine]
        if referrals:
            cells[proposal_id] = (
                "; ".join(r.initiative.acronym for r in referrals),
                "; ".join(r.comment for r in referrals),
                "; ".join(
                    f"{r.initiative.acronym}: {label(r.outcome) if r.outcome else _l('awaited')}"
                    for r in referrals
                ),
            )
    return cells


def table(
    proposals: list[Proposal], *, user: User | None
) -> tuple[list[tuple[str, int]], Iterable[list[Value]]]:
    """The header (title and width of each column) and the rows, one per proposal."""
    columns = form_columns()
    header = [(str(column.title), column.width) for column in columns]
    # Every role that exports sees the opinion: the school records it for programme staff to read.
    header += opinion_titles()
    opinions = _opinions(proposals)
    with_scores = sees_scores(user)
    scores: dict[int, tuple[Value, ...]] = {}
    referrals: dict[int, tuple[Value, ...]] = {}
    if with_scores:
        header += [(str(title), width) for title, width in SCORE_TITLES]
        scores = _scores(proposals, user)
        referrals = _referral_cells(proposals, user)

    def rows():
        for proposal in proposals:
            content: dict[str, Any] = proposal.content or {}
            row = [column.value(proposal, content) for column in columns]
            row += list(opinions.get(proposal.id, (None, None, None, None)))
            if with_scores:
                cells = scores.get(proposal.id, EMPTY_SCORES[:6]) + referrals.get(proposal.id, (None,) * 3)
                row += list(cells)
            yield row

    return header, rows()
