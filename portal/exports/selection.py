"""The submitted proposals a member of staff may export, filtered; every export starts here."""

from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Campaign, DoctoralSchool, Initiative


@dataclass(frozen=True)
class Filters:
    """Campaign year, initiative acronym, doctoral school number; None means any."""

    campaign: int | None = None
    initiative: str | None = None
    school: str | None = None

    @classmethod
    def from_args(cls, args) -> "Filters":
        """From a query string (?campaign=2021&initiative=SCAI&school=ED130); blanks mean any."""
        initiative = (args.get("initiative") or "").strip() or None
        school = (args.get("school") or "").strip() or None
        return cls(campaign=args.get("campaign", type=int), initiative=initiative, school=school)

    def as_args(self) -> dict[str, str]:
        values = {"campaign": self.campaign, "initiative": self.initiative, "school": self.school}
        return {name: str(value) for name, value in values.items() if value is not None}


def selection_query(
    filters: Filters, *, user: User | None, states: tuple[ProposalState, ...] = (ProposalState.submitted,)
) -> Select:
    """One query: submitted proposals in `user`'s scope (None: everything, for the command line).

    `states` widens it (the staff dashboards also list drafts and withdrawn proposals).

    Doctoral-school staff see the proposals whose director belongs to one of their schools,
    programme staff those targeting one of their initiatives or referred to one of them,
    administrators all of them.
    """
    from portal.reviews.models import Referral  # the review domain builds on proposals

    query = (
        select(Proposal)
        .join(Campaign, Proposal.campaign_id == Campaign.id)
        .outerjoin(Initiative, Proposal.initiative_id == Initiative.id)
        .where(Proposal.state.in_(states))
    )
    if user is not None and not user.is_admin:
        schools, initiatives = user.staff_school_ids(), user.staff_initiative_ids()
        if not schools and not initiatives:
            query = query.where(false())
        else:
            referred = select(Referral.proposal_id).where(Referral.initiative_id.in_(initiatives))
            query = query.where(
                or_(
                    Proposal.director_school_id.in_(schools),
                    Proposal.initiative_id.in_(initiatives),
                    Proposal.id.in_(referred),
                )
            )
    if filters.campaign is not None:
        query = query.where(Campaign.year == filters.campaign)
    if filters.initiative is not None:
        query = query.where(Initiative.acronym == filters.initiative)
    if filters.school is not None:
        school_ids = select(DoctoralSchool.id).where(DoctoralSchool.number == filters.school)
        query = query.where(Proposal.director_school_id.in_(school_ids.scalar_subquery()))
    return query.order_by(Campaign.year.desc(), Initiative.acronym, Proposal.submitted_at, Proposal.id)


def selected_proposals(filters: Filters, *, user: User | None) -> list[Proposal]:
    """The selection as a list (the tables); the ZIP walks it by id instead."""
    return list(db.session.scalars(selection_query(filters, user=user)).unique())


def selected_ids(filters: Filters, *, user: User | None) -> list[int]:
    """The ids of the selection, in order: a few bytes each, whatever the number of proposals."""
    query = selection_query(filters, user=user).with_only_columns(Proposal.id)
    return list(db.session.scalars(query))
