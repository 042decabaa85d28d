"""Automatic assignment: k reviewers per proposal, no conflicts, balanced loads, bids honoured.

A greedy plan, shown for confirmation before anything is saved: proposals with the fewest
possible reviewers are served first; for each, the eligible members are ranked by their bid (eager,
willing, no bid, not willing) and then by their load, within a balanced cap first and each
member's own maximum after.
"""

import math
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.conflicts import PairConflicts, proposal_keys, reviewer_keys
from portal.reviews.models import Assignment, Bid, Committee, Preference
from portal.reviews.services import committee_proposals

_BID_RANK = {Preference.eager: 0, Preference.willing: 1, None: 2, Preference.not_willing: 3}


@dataclass(frozen=True)
class PlannedAssignment:
    proposal: Proposal
    reviewer: User
    preference: Preference | None


@dataclass
class Plan:
    assignments: list[PlannedAssignment]
    # Proposals that could not get k reviewers, with how many they lack.
    short: dict[int, int]
    loads: Counter


def plan_assignments(committee: Committee, *, per_proposal: int) -> Plan:
    proposals = committee_proposals(committee)
    members = [member for member in committee.members]
    ids = [proposal.id for proposal in proposals]
    existing = set(
        db.session.execute(
            select(Assignment.proposal_id, Assignment.reviewer_id).where(Assignment.proposal_id.in_(ids))
        )
    )
    loads = Counter(reviewer_id for _, reviewer_id in existing)
    reviewers_of = Counter(proposal_id for proposal_id, _ in existing)
    bids = {
        (bid.proposal_id, bid.user_id): bid.preference
        for bid in db.session.scalars(select(Bid).where(Bid.proposal_id.in_(ids)))
    }
    recorded = PairConflicts(ids)
    # Plain tuples, folded once: the loops below run proposals × members times.
    candidates_keys = [(member, member.user_id, reviewer_keys(member.user)) for member in members]
    eligible: dict[int, list] = {}
    for proposal in proposals:
        keys = proposal_keys(proposal)
        eligible[proposal.id] = [
            member
            for member, user_id, reviewer in candidates_keys
            if (proposal.id, user_id) not in existing and not recorded.blocks(reviewer, keys)
        ]
    needed = sum(max(0, per_proposal - reviewers_of[proposal.id]) for proposal in proposals)
    balanced = math.ceil((needed + sum(loads.values())) / len(members)) if members else 0
    planned: list[PlannedAssignment] = []
    short: dict[int, int] = {}
    for proposal in sorted(proposals, key=lambda item: (len(eligible[item.id]), item.id)):
        missing = per_proposal - reviewers_of[proposal.id]
        for cap_of in (lambda member: balanced, lambda member: member.max_load or math.inf):
            if missing <= 0:
                break
            candidates = [
                member
                for member in eligible[proposal.id]
                if loads[member.user_id] < min(cap_of(member), member.max_load or math.inf)
            ]
            candidates.sort(
                key=lambda member: (
                    _BID_RANK[bids.get((proposal.id, member.user_id))],
                    loads[member.user_id],
                    member.user_id,
                )
            )
            for member in candidates[:missing]:
                planned.append(
                    PlannedAssignment(proposal, member.user, bids.get((proposal.id, member.user_id)))
                )
                loads[member.user_id] += 1
                eligible[proposal.id].remove(member)
                missing -= 1
        if missing > 0:
            short[proposal.id] = missing
    return Plan(planned, short, loads)


def apply_plan(plan: Plan, *, assigned_by: User) -> int:
    assignments = [
        Assignment(proposal=item.proposal, reviewer=item.reviewer, assigned_by_id=assigned_by.id)
        for item in plan.assignments
    ]
    db.session.add_all(assignments)
    db.session.flush()
    for assignment in assignments:
        record(
            "assignment.created",
            actor=assigned_by,
            obj=assignment,
            proposal=assignment.proposal,
            reviewer=assignment.reviewer.email,
            automatic=True,
        )
    return len(plan.assignments)
