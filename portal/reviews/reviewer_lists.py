"""What a reviewer sees: their assignments, the proposals they may bid on, the other reviews of a
proposal. Proposals they are in conflict with are never listed."""

from dataclasses import dataclass, field

from sqlalchemy import select, tuple_
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reviews.conflicts import PairConflicts, proposal_keys, reviewer_keys
from portal.reviews.models import Assignment, Bid, Committee, CommitteeMember, Review, ReviewState
from portal.reviews.services import committee_proposals


def visible_to(user: User, proposals: list[Proposal]) -> list[Proposal]:
    """The proposals `user` is not in conflict with (detected and not waived, or declared), in three
    queries at most."""
    recorded, reviewer = PairConflicts([proposal.id for proposal in proposals]), reviewer_keys(user)
    return [proposal for proposal in proposals if not recorded.blocks(reviewer, proposal_keys(proposal))]


@dataclass
class CommitteeDesk:
    """One committee's part of the reviewer's page."""

    committee: Committee
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for a in self.assignments if a.review and a.review.state is ReviewState.submitted)


def my_assignments(user: User) -> list[CommitteeDesk]:
    """The reviewer's assignments on submitted proposals without conflict, by committee."""
    assignments = list(
        db.session.scalars(
            select(Assignment)
            .join(Proposal, Assignment.proposal_id == Proposal.id)
            .where(Assignment.reviewer_id == user.id, Proposal.state == ProposalState.submitted)
            .order_by(Proposal.id)
            # Loaded with the list: the page must not query once per assignment.
            .options(selectinload(Assignment.proposal), selectinload(Assignment.review))
        )
    )
    visible = {proposal.id for proposal in visible_to(user, [a.proposal for a in assignments])}
    committees = (
        {
            (committee.campaign_id, committee.initiative_id): committee
            for committee in db.session.scalars(
                select(Committee).where(
                    tuple_(Committee.campaign_id, Committee.initiative_id).in_(
                        {(a.proposal.campaign_id, a.proposal.initiative_id) for a in assignments}
                    )
                )
            )
        }
        if assignments
        else {}
    )
    desks: dict[int, CommitteeDesk] = {}
    for assignment in assignments:
        if assignment.proposal_id not in visible:
            continue
        committee = committees.get((assignment.proposal.campaign_id, assignment.proposal.initiative_id))
        if committee is None:
            continue
        desks.setdefault(committee.id, CommitteeDesk(committee)).assignments.append(assignment)
    return list(desks.values())


def my_committees(user: User) -> list[Committee]:
    return list(
        db.session.scalars(
            select(Committee)
            .join(CommitteeMember, CommitteeMember.committee_id == Committee.id)
            .where(CommitteeMember.user_id == user.id)
            .order_by(Committee.id)
        )
    )


def chaired(user: User) -> list[Committee]:
    """The committees `user` chairs: they read their assignment boards."""
    return list(
        db.session.scalars(
            select(Committee)
            .join(CommitteeMember, CommitteeMember.committee_id == Committee.id)
            .where(CommitteeMember.user_id == user.id, CommitteeMember.is_chair.is_(True))
            .order_by(Committee.id)
        )
    )


def biddable(user: User) -> list[tuple[Committee, list[Proposal]]]:
    """The submitted proposals of the committees `user` sits on, conflicts left out."""
    return [
        (committee, visible_to(user, committee_proposals(committee))) for committee in my_committees(user)
    ]


def bids_of(user: User, proposal_ids: list[int]) -> dict[int, Bid]:
    if not proposal_ids:
        return {}
    rows = db.session.scalars(select(Bid).where(Bid.user_id == user.id, Bid.proposal_id.in_(proposal_ids)))
    return {bid.proposal_id: bid for bid in rows}


def other_reviews(proposal: Proposal, user: User) -> tuple[list[Review], int]:
    """The reviews of the proposal that count but `user`'s own, and how many others are unfinished."""
    done = db.session.scalars(
        select(Review)
        .where(Review.proposal_id == proposal.id, Review.reviewer_id != user.id, Review.counted)
        .order_by(Review.submitted_at, Review.id)
        .options(selectinload(Review.reviewer))
    ).all()
    assigned = db.session.scalars(
        select(Assignment.id).where(Assignment.proposal_id == proposal.id, Assignment.reviewer_id != user.id)
    ).all()
    return list(done), len(assigned) - len(done)


def set_aside_reviews(proposal: Proposal) -> list[Review]:
    """The proposal's reviews set aside when a conflict withdrew their assignment, for its managers."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.proposal_id == proposal.id, Review.withdrawn_at.is_not(None))
            .order_by(Review.withdrawn_at, Review.id)
            .options(selectinload(Review.reviewer))
        )
    )
