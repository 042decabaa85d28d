"""What programme staff need to compose a committee and assign its proposals: the committees they
manage, the proposal × member board (assignments, conflicts, bids, loads)."""

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign, CampaignState, Initiative
from portal.reviews.conflicts import Conflict, ConflictStatus, PairConflicts, proposal_keys, reviewer_keys
from portal.reviews.models import (
    Assignment,
    Bid,
    Committee,
    CommitteeMember,
    Preference,
    ReviewState,
)
from portal.reviews.services import AssignmentRefused, assign, committee_proposals


@dataclass(frozen=True)
class CommitteeSlot:
    """A campaign and initiative a manager may hold a committee for; the committee once set up."""

    campaign: Campaign
    initiative: Initiative
    committee: Committee | None


def committee_slots(user: User) -> list[CommitteeSlot]:
    """Every (campaign, initiative) the user manages, newest campaign first."""
    campaigns = db.session.scalars(
        select(Campaign)
        .where(Campaign.state != CampaignState.draft)
        .order_by(Campaign.year.desc())
        .options(selectinload(Campaign.initiatives))
    )
    managed = None if user.is_admin else user.staff_initiative_ids()
    existing = {(c.campaign_id, c.initiative_id): c for c in db.session.scalars(select(Committee))}
    return [
        CommitteeSlot(campaign, initiative, existing.get((campaign.id, initiative.id)))
        for campaign in campaigns
        for initiative in campaign.initiatives
        if managed is None or initiative.id in managed
    ]


@dataclass
class Cell:
    assignment: Assignment | None = None
    conflicts: list[Conflict] = field(default_factory=list)
    bid: Preference | None = None

    @property
    def blocking(self) -> list[Conflict]:
        """The conflicts that keep the member off the proposal: all but the waived ones."""
        return [conflict for conflict in self.conflicts if conflict.blocks]

    @property
    def waived(self) -> list[Conflict]:
        return [conflict for conflict in self.conflicts if not conflict.blocks]

    @property
    def suspected(self) -> bool:
        return any(conflict.status is ConflictStatus.suspected for conflict in self.conflicts)

    @property
    def waivable(self) -> list[Conflict]:
        return [conflict for conflict in self.conflicts if conflict.waivable]

    @property
    def reviewed(self) -> bool:
        review = self.assignment.review if self.assignment else None
        return review is not None and review.state is ReviewState.submitted


@dataclass
class Board:
    """Proposals (rows) × members (columns), with each member's current load."""

    proposals: list[Proposal]
    members: list[CommitteeMember]
    cells: dict[tuple[int, int], Cell]
    loads: Counter

    def cell(self, proposal: Proposal, member: CommitteeMember) -> Cell:
        return self.cells[(proposal.id, member.user_id)]

    def reviewers_of(self, proposal: Proposal) -> list[CommitteeMember]:
        return [member for member in self.members if self.cell(proposal, member).assignment]

    def eligible_for(self, proposal: Proposal) -> list[CommitteeMember]:
        """Members who may still be assigned to the proposal."""
        return [
            member
            for member in self.members
            if not self.cell(proposal, member).assignment and not self.cell(proposal, member).blocking
        ]

    def to_rule(self) -> list[tuple[Proposal, CommitteeMember, Cell]]:
        """The pairs with a detected conflict staff may confirm or waive, the suspected ones first."""
        pairs = [
            (proposal, member, self.cell(proposal, member))
            for proposal in self.proposals
            for member in self.members
            if self.cell(proposal, member).waivable
        ]
        return sorted(pairs, key=lambda item: not item[2].suspected)


def assignment_board(committee: Committee, *, reader: User | None = None) -> Board:
    """Everything the assignment page shows, in a handful of queries; for a `reader` who sits on
    the committee (its chair), without the proposals they are in conflict with."""
    proposals = committee_proposals(committee)
    members = sorted(committee.members, key=lambda m: (m.user.last_name.casefold(), m.user.first_name))
    recorded = PairConflicts([proposal.id for proposal in proposals])
    if reader is not None:
        keys = reviewer_keys(reader)
        proposals = [proposal for proposal in proposals if not recorded.blocks(keys, proposal_keys(proposal))]
    ids = [proposal.id for proposal in proposals]
    assignments = {
        (a.proposal_id, a.reviewer_id): a
        for a in db.session.scalars(
            select(Assignment).where(Assignment.proposal_id.in_(ids)).options(selectinload(Assignment.review))
        )
    }
    bids = {
        (bid.proposal_id, bid.user_id): bid.preference
        for bid in db.session.scalars(select(Bid).where(Bid.proposal_id.in_(ids)))
    }
    cells: dict[tuple[int, int], Cell] = {}
    for proposal in proposals:
        keys = proposal_keys(proposal)
        for member in members:
            pair = (proposal.id, member.user_id)
            cells[pair] = Cell(assignments.get(pair), recorded.of(member.user, keys), bids.get(pair))
    loads = Counter(reviewer_id for _, reviewer_id in assignments)
    return Board(proposals, members, cells, loads)


def committee_proposal(committee: Committee, proposal_id: int | None) -> Proposal | None:
    """The proposal if the committee reviews it, else None."""
    proposal = db.session.get(Proposal, proposal_id) if proposal_id else None
    if proposal is None or proposal not in committee_proposals(committee):
        return None
    return proposal


def committee_member(committee: Committee, user_id: int | None) -> CommitteeMember | None:
    return next((member for member in committee.members if member.user_id == user_id), None)


def assign_pairs(*, committee: Committee, pairs: list[tuple[int, int]], assigned_by: User) -> tuple[int, int]:
    """Save confirmed (proposal id, reviewer id) pairs, each checked again; (saved, refused)."""
    proposals = {proposal.id: proposal for proposal in committee_proposals(committee)}
    saved = refused = 0
    for proposal_id, user_id in pairs:
        proposal, member = proposals.get(proposal_id), committee_member(committee, user_id)
        if proposal is None or member is None:
            refused += 1
            continue
        try:
            assign(
                committee=committee,
                proposal=proposal,
                reviewer=member.user,
                assigned_by=assigned_by,
                automatic=True,
            )
        except AssignmentRefused:
            refused += 1
        else:
            saved += 1
    return saved, refused
