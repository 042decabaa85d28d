"""Committee review progress on the dashboard, for those who manage committees.

Programme staff see it for their initiatives' proposals, administrators for all. Doctoral-school
staff see nothing of the review (who reviews, how many reviews, scores, decisions): the school gives
its opinion beside the committee, not inside it. Each function issues one or two queries, whatever
the number of proposals.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, distinct, func, select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Campaign, Initiative
from portal.reviews.models import Assignment, Committee, Decision, Outcome, Review


def sees_reviews(user: User) -> bool:
    return user.is_admin or user.has_role(Role.programme_staff)


def _managed(user: User):
    """A condition on Proposal: its committee is one `user` manages (None: every committee)."""
    return None if user.is_admin else Proposal.initiative_id.in_(user.staff_initiative_ids())


@dataclass(frozen=True)
class Progress:
    """One proposal: reviewers assigned (the reviews expected), reviews submitted, the decision."""

    assigned: int
    submitted: int
    outcome: Outcome | None


_SUBMITTED_REVIEWS = func.count(case((Review.counted, Review.id)))


def review_progress(proposals: list[Proposal], *, user: User) -> dict[int, Progress]:
    """The progress of the submitted proposals among `proposals` whose committee `user` manages."""
    if not sees_reviews(user):
        return {}
    allowed = None if user.is_admin else user.staff_initiative_ids()
    ids = [
        proposal.id
        for proposal in proposals
        if proposal.state is ProposalState.submitted
        and (allowed is None or proposal.initiative_id in allowed)
    ]
    if not ids:
        return {}
    # A decision is one row per proposal, a review one per assignment: the joins add no duplicates.
    rows = db.session.execute(
        select(Proposal.id, func.count(Assignment.id), _SUBMITTED_REVIEWS, Decision.outcome)
        .outerjoin(Assignment, Assignment.proposal_id == Proposal.id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .outerjoin(Decision, Decision.proposal_id == Proposal.id)
        .where(Proposal.id.in_(ids))
        .group_by(Proposal.id, Decision.outcome)
    )
    return {pid: Progress(assigned, submitted, outcome) for pid, assigned, submitted, outcome in rows}


@dataclass(frozen=True)
class InitiativeProgress:
    """One initiative's committee in a call: its submitted proposals, those with at least one
    reviewer, reviews submitted of those expected (one per assignment), proposals decided."""

    acronym: str
    committee_id: int | None
    review_deadline: datetime | None
    proposals: int
    with_reviewers: int
    reviews_submitted: int
    reviews_expected: int
    decided: int

    @property
    def complete(self) -> bool:
        return self.reviews_expected > 0 and self.reviews_submitted == self.reviews_expected


def initiative_progress(campaign: Campaign | None, *, user: User) -> list[InitiativeProgress]:
    """At a glance, per initiative `user` manages in the call: the committee's progress (two queries).

    Proposals and their decisions in one query, assignments and their reviews in the other: joining
    all four multiplies the rows and needs DISTINCT, twice the time at 1,000 proposals.
    """
    if campaign is None or not sees_reviews(user):
        return []
    conditions = [Proposal.campaign_id == campaign.id, Proposal.state == ProposalState.submitted]
    managed = _managed(user)
    if managed is not None:
        conditions.append(managed)
    proposals = db.session.execute(
        select(
            Initiative.id,
            Initiative.acronym,
            Committee.id,
            Committee.review_deadline,
            func.count(Proposal.id),
            func.count(Decision.outcome),
        )
        .select_from(Proposal)
        .join(Initiative, Proposal.initiative_id == Initiative.id)
        .outerjoin(
            Committee,
            and_(Committee.campaign_id == Proposal.campaign_id, Committee.initiative_id == Initiative.id),
        )
        .outerjoin(Decision, Decision.proposal_id == Proposal.id)
        .where(*conditions)
        .group_by(Initiative.id, Initiative.acronym, Committee.id, Committee.review_deadline)
        .order_by(Initiative.acronym)
    ).all()
    reviews = {
        initiative_id: (with_reviewers, expected, submitted)
        for initiative_id, with_reviewers, expected, submitted in db.session.execute(
            select(
                Proposal.initiative_id,
                func.count(distinct(Assignment.proposal_id)),
                func.count(Assignment.id),
                _SUBMITTED_REVIEWS,
            )
            .select_from(Assignment)
            .join(Proposal, Assignment.proposal_id == Proposal.id)
            .outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(*conditions)
            .group_by(Proposal.initiative_id)
        )
    }
    result = []
    for initiative_id, acronym, committee_id, deadline, count, decided in proposals:
        with_reviewers, expected, submitted = reviews.get(initiative_id, (0, 0, 0))
        result.append(
            InitiativeProgress(
                acronym, committee_id, deadline, count, with_reviewers, submitted, expected, decided
            )
        )
    return result
