"""The dashboard's queries: a page of proposals, the counts, the directors' supervision shares.

Every function issues a fixed number of queries, whatever the number of proposals.
"""

from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.db import utcnow
from portal.exports.selection import Filters, selection_query
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Campaign, CampaignState, DoctoralSchool, Initiative

ALL_STATES = tuple(ProposalState)
PER_PAGE = 25


@dataclass(frozen=True)
class DashboardFilters:
    scope: Filters
    state: str = ""
    cotutelle: str = ""
    language: str = ""
    search: str = ""
    sort: str = "saved"

    @classmethod
    def from_args(cls, args) -> "DashboardFilters":
        def choice(name: str, allowed: set[str], default: str = "") -> str:
            value = (args.get(name) or "").strip()
            return value if value in allowed else default

        return cls(
            scope=Filters.from_args(args),
            state=choice("state", {state.value for state in ProposalState}),
            cotutelle=choice("cotutelle", {"yes", "no"}),
            language=choice("language", {"en", "fr"}),
            search=(args.get("q") or "").strip()[:200],
            sort=choice("sort", {"saved", "submitted", "title"}, "saved"),
        )

    def as_args(self) -> dict[str, str]:
        values = {
            "state": self.state,
            "cotutelle": self.cotutelle,
            "language": self.language,
            "q": self.search,
            "sort": self.sort if self.sort != "saved" else "",
        }
        return {**self.scope.as_args(), **{name: value for name, value in values.items() if value}}


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def dashboard_query(filters: DashboardFilters, *, user: User) -> Select:
    """The export selection (scope, call, initiative, school), widened to every state, then filtered.

    The search is a case-insensitive LIKE over the title, the director's account name and the JSON
    content cast to text (names, units, keywords, description): simple, no index, good enough for a
    few thousand proposals. Non-ASCII letters are stored escaped in the JSON text (é is \\u00e9),
    so an accented word matches through the title and account names only.
    """
    states = (ProposalState(filters.state),) if filters.state else ALL_STATES
    query = selection_query(filters.scope, user=user, states=states).order_by(None)
    if filters.cotutelle:
        answer = Proposal.content[("cotutelle", "answer")].as_boolean()
        query = query.where(
            answer.is_(True) if filters.cotutelle == "yes" else or_(answer.is_(False), answer.is_(None))
        )
    if filters.language:
        query = query.where(Proposal.content["language"].as_string() == filters.language)
    if filters.search:
        pattern = f"%{_escape_like(filters.search.lower())}%"
        owners = select(User.id).where(
            or_(
                func.lower(User.last_name).like(pattern, escape="\\"),
                func.lower(User.first_name).like(pattern, escape="\\"),
            )
        )
        query = query.where(
            or_(
                func.lower(Proposal.title).like(pattern, escape="\\"),
                func.lower(cast(Proposal.content, String)).like(pattern, escape="\\"),
                Proposal.owner_id.in_(owners),
            )
        )
    if filters.sort == "title":
        return query.order_by(func.lower(Proposal.title), Proposal.id)
    if filters.sort == "submitted":
        # Submitted first, the most recent first; then the others by last save.
        return query.order_by(
            Proposal.submitted_at.is_(None),
            Proposal.submitted_at.desc(),
            Proposal.last_saved_at.desc(),
            Proposal.id,
        )
    return query.order_by(Proposal.last_saved_at.desc(), Proposal.id.desc())


def dashboard_page(filters: DashboardFilters, *, user: User, page: int):
    """One page of the dashboard's proposals: the ids sorted and cut first, then their rows.

    Sorting whole rows would carry every proposal's JSON content through the sort (SQLite sorts
    the selected columns, not pointers); sorting ids alone costs a tenth of it at 1,000 proposals.
    """
    query = dashboard_query(filters, user=user).with_only_columns(Proposal.id)
    result = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    ids = list(result.items)
    rows = db.session.scalars(
        select(Proposal).where(Proposal.id.in_(ids)).options(selectinload(Proposal.director_school))
    ).unique()
    by_id = {proposal.id: proposal for proposal in rows}
    result.items = [by_id[pid] for pid in ids if pid in by_id]
    return result


def student_share_total(content: dict | None) -> int:
    """The sum of the students' shares (%) in the director block of one proposal's content."""
    director = (content or {}).get("director") or {}
    total = 0
    for student in director.get("students") or []:
        share = student.get("share") if isinstance(student, dict) else None
        if isinstance(share, int | float) and not isinstance(share, bool):
            total += share
    return int(total)


def supervision_shares(owner_ids: set[int], *, user: User) -> dict[int, int]:
    """Each director's current supervision share: the students of their latest saved proposal.

    The director block lists the doctoral students the director supervises today, so it is the
    same list in each of their proposals: summing across proposals would count students twice.
    The latest saved proposal among those `user` may see (any state) holds the freshest list.
    """
    if not owner_ids:
        return {}
    query = (
        selection_query(Filters(), user=user, states=ALL_STATES)
        .order_by(None)
        .where(Proposal.owner_id.in_(owner_ids))
        .with_only_columns(Proposal.owner_id, Proposal.content)
        .order_by(Proposal.owner_id, Proposal.last_saved_at.desc(), Proposal.id.desc())
    )
    shares: dict[int, int] = {}
    for owner_id, content in db.session.execute(query):
        if owner_id not in shares:
            shares[owner_id] = student_share_total(content)
    return shares


def chosen_campaign(filters: DashboardFilters) -> Campaign | None:
    """The call of the filter, else the latest published one."""
    query = select(Campaign)
    if filters.scope.campaign is not None:
        query = query.where(Campaign.year == filters.scope.campaign)
    else:
        query = query.where(Campaign.state == CampaignState.published).order_by(Campaign.year.desc())
    return db.session.scalars(query.limit(1)).first()


@dataclass
class Counts:
    by_initiative: dict[str, dict[str, int]]
    by_school: dict[str, dict[str, int]]


def state_counts(campaign: Campaign | None, *, user: User) -> Counts:
    """Drafts, submitted and withdrawn proposals per initiative and per doctoral school (two queries)."""
    by_initiative: dict[str, dict[str, int]] = {}
    by_school: dict[str, dict[str, int]] = {}
    if campaign is None:
        return Counts(by_initiative, by_school)
    base = selection_query(Filters(campaign=campaign.year), user=user, states=ALL_STATES).order_by(None)
    initiative_rows = db.session.execute(
        base.with_only_columns(Initiative.acronym, Proposal.state, func.count(Proposal.id)).group_by(
            Initiative.acronym, Proposal.state
        )
    )
    school_rows = db.session.execute(
        base.outerjoin(DoctoralSchool, Proposal.director_school_id == DoctoralSchool.id)
        .with_only_columns(DoctoralSchool.number, Proposal.state, func.count(Proposal.id))
        .group_by(DoctoralSchool.number, Proposal.state)
    )
    for target, rows in ((by_initiative, initiative_rows), (by_school, school_rows)):
        for key, state, count in rows:
            counts = target.setdefault(key or "—", {s.value: 0 for s in ProposalState})
            counts[state.value] += count
    return Counts(dict(sorted(by_initiative.items())), dict(sorted(by_school.items())))


def drafts_to_remind(filters: Filters, *, user: User) -> dict[User, list[Proposal]]:
    """Unsubmitted drafts in `user`'s scope whose call is open and whose deadline has not passed."""
    now = utcnow()
    query = (
        selection_query(filters, user=user, states=(ProposalState.draft,))
        .where(Campaign.state == CampaignState.published)
        .where(Campaign.opens_at <= now)
    )
    by_owner: dict[User, list[Proposal]] = {}
    for proposal in db.session.scalars(query).unique():
        if proposal.is_open_for_changes(now):
            by_owner.setdefault(proposal.owner, []).append(proposal)
    return by_owner


def send_draft_reminders(by_owner: dict[User, list[Proposal]]) -> int:
    """One e-mail to each director listing their drafts; the number of e-mails accepted."""
    sent = 0
    for owner, drafts in by_owner.items():
        if send_template(
            to=owner.email,
            template="draft_reminder",
            locale=owner.locale,
            director=owner,
            proposals=drafts,
            url=external_url("proposals.index"),
        ):
            sent += 1
    return sent
