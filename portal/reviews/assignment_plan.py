"""Automatic assignment: k reviewers per proposal, no conflicts, even loads, bids honoured.

A plan, shown for confirmation before anything is saved, built in three steps:

1. The even share. Every member is brought to the same level f, as high as the work to do allows
   (never below what they hold already, never above their own maximum); the work left over
   lets that many members at f take one more. Loads are then at most 1 apart.
2. Greedy, within the even share. The proposals with the fewest possible reviewers are served
   first; each takes the members with room ranked by bid (eager, willing, no bid, not willing),
   then by load.
3. Repair. A proposal still short looks for a member who could hand one of their planned
   proposals to a member with room (neither unwilling); only then does a member go beyond the
   even share (never beyond their own maximum), and the pair says so.

Each planned pair carries its reasons (WHY_*), which the plan page shows in words.
"""

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.conflicts import PairConflicts, proposal_keys, reviewer_keys
from portal.reviews.models import Assignment, Bid, Committee, CommitteeMember, Preference
from portal.reviews.services import committee_proposals

_BID_RANK = {Preference.eager: 0, Preference.willing: 1, None: 2, Preference.not_willing: 3}
# Why a pair was chosen: the bid, then what the loads made of it (labels: assignment_routes.py).
WHY_BID = {
    Preference.eager: "eager",
    Preference.willing: "willing",
    None: "no_bid",
    Preference.not_willing: "not_willing",
}
WHY_LIGHTEST = "lightest"
WHY_MOVED = "moved"
WHY_BEYOND_TARGET = "beyond_target"


@dataclass
class PlannedAssignment:
    proposal: Proposal
    reviewer: User
    preference: Preference | None
    why: list[str] = field(default_factory=list)


@dataclass
class Plan:
    assignments: list[PlannedAssignment]
    # Proposals that could not get k reviewers, with how many they lack.
    short: dict[int, int]
    loads: Counter
    # The even share of the work, existing assignments included.
    share: "EvenShare"


@dataclass(frozen=True)
class EvenShare:
    """Each member's base load and how many of them may take one more: loads at most 1 apart."""

    base: dict[int, int]
    level: int
    extra: int


def _even_share(members: list[CommitteeMember], loads: Counter, total: int) -> EvenShare:
    """The highest level f such that bringing everyone to f (within their maximum, never below what
    they hold already) stays within `total`; what is left over goes, one each, to members at f."""

    def base_at(level: int) -> dict[int, int]:
        return {m.user_id: min(max(loads[m.user_id], level), m.max_load or math.inf) for m in members}

    level = 0
    while (
        any(not m.max_load or m.max_load > level for m in members)
        and sum(base_at(level + 1).values()) <= total
    ):
        level += 1
    base = base_at(level)
    return EvenShare(base, level, max(0, total - sum(base.values())))


class _Planner:
    """The state of one plan while it is built: loads, who may still take what, the pairs."""

    def __init__(self, proposals, members, existing, bids, eligible, share: EvenShare):
        self.members = {member.user_id: member for member in members}
        self.loads = Counter(reviewer_id for _, reviewer_id in existing)
        # Bids by proposal, then member: most pairs have none, and this is read proposals × members times.
        self.bids: dict[int, dict[int, Preference]] = {}
        for (proposal_id, user_id), preference in bids.items():
            self.bids.setdefault(proposal_id, {})[user_id] = preference
        self.maxima = {member.user_id: member.max_load or math.inf for member in members}
        # Members at the share's level who could take one more: the candidates for the extra.
        self.at_level = {
            uid for uid, base in share.base.items() if base == share.level and base < self.maxima[uid]
        }
        self.eligible = eligible
        self.share = share
        # Members above their base load: at most share.extra of them within the even share.
        self.over: set[int] = set()
        self.pairs: dict[tuple[int, int], PlannedAssignment] = {}
        self.proposals = {proposal.id: proposal for proposal in proposals}

    def bid(self, proposal_id: int, user_id: int) -> Preference | None:
        return self.bids.get(proposal_id, {}).get(user_id)

    def maximum(self, uid: int) -> float:
        return self.maxima[uid]

    def even_room(self, uid: int) -> float:
        """The load the member may reach within the even share: one more than the base for members
        at the level, as long as fewer members than the share's extra are above their base."""
        base = self.share.base[uid]
        if uid in self.at_level and (uid in self.over or len(self.over) < self.share.extra):
            return base + 1
        return base

    def _count(self, user_id: int, change: int) -> None:
        self.loads[user_id] += change
        if self.loads[user_id] > self.share.base[user_id]:
            self.over.add(user_id)
        else:
            self.over.discard(user_id)

    def add(self, proposal_id: int, user_id: int, *why: str) -> None:
        preference = self.bid(proposal_id, user_id)
        self.pairs[(proposal_id, user_id)] = PlannedAssignment(
            self.proposals[proposal_id], self.members[user_id].user, preference, [WHY_BID[preference], *why]
        )
        self._count(user_id, 1)
        self.eligible[proposal_id].discard(user_id)

    def remove(self, proposal_id: int, user_id: int) -> PlannedAssignment:
        planned = self.pairs.pop((proposal_id, user_id))
        self._count(user_id, -1)
        self.eligible[proposal_id].add(user_id)
        return planned

    def ranked(self, proposal_id: int, room, count: int | None = None) -> list[int]:
        """The (`count` best) members who may take the proposal and have room, best first."""
        bids, loads = self.bids.get(proposal_id, {}), self.loads
        candidates = [uid for uid in self.eligible[proposal_id] if loads[uid] < room(uid)]

        def key(uid: int):
            return (_BID_RANK[bids.get(uid)], loads[uid], uid)

        return sorted(candidates, key=key) if count is None else heapq.nsmallest(count, candidates, key=key)

    def move_for(self, proposal_id: int) -> bool:
        """Free a member for the proposal by handing one of their planned proposals to a member
        with room in the even share who may take it (neither of them unwilling); True if done."""
        for uid in self.ranked(proposal_id, self.maximum):
            if self.bid(proposal_id, uid) is Preference.not_willing:
                continue
            for other_id, holder in [pair for pair in self.pairs if pair[1] == uid]:
                planned = self.remove(other_id, holder)
                takers = [
                    taker
                    for taker in self.ranked(other_id, self.even_room)
                    if taker != holder and self.bid(other_id, taker) is not Preference.not_willing
                ]
                if takers and self.loads[uid] < self.even_room(uid):
                    self.add(other_id, takers[0], WHY_MOVED)
                    self.add(proposal_id, uid, WHY_LIGHTEST)
                    return True
                self.add(other_id, holder, *planned.why[1:])
        return False


def plan_assignments(committee: Committee, *, per_proposal: int) -> Plan:
    proposals = committee_proposals(committee)
    members = list(committee.members)
    ids = [proposal.id for proposal in proposals]
    existing = set(
        db.session.execute(
            select(Assignment.proposal_id, Assignment.reviewer_id).where(Assignment.proposal_id.in_(ids))
        )
    )
    reviewers_of = Counter(proposal_id for proposal_id, _ in existing)
    bids = {
        (bid.proposal_id, bid.user_id): bid.preference
        for bid in db.session.scalars(select(Bid).where(Bid.proposal_id.in_(ids)))
    }
    recorded = PairConflicts(ids)
    # Plain tuples, folded once: the loops below run proposals × members times.
    candidates_keys = [(member.user_id, reviewer_keys(member.user)) for member in members]
    eligible: dict[int, set[int]] = {}
    for proposal in proposals:
        keys, pid = proposal_keys(proposal), proposal.id
        eligible[pid] = {
            user_id
            for user_id, reviewer in candidates_keys
            if (pid, user_id) not in existing and not recorded.blocks(reviewer, keys)
        }
    missing = {proposal.id: max(0, per_proposal - reviewers_of[proposal.id]) for proposal in proposals}
    loads = Counter(reviewer_id for _, reviewer_id in existing)
    share = _even_share(members, loads, sum(loads.values()) + sum(missing.values()))
    planner = _Planner(proposals, members, existing, bids, eligible, share)
    order = sorted(ids, key=lambda pid: (len(eligible[pid]), pid))
    for pid in order:
        for uid in planner.ranked(pid, planner.even_room, missing[pid]):
            planner.add(pid, uid, WHY_LIGHTEST)
            missing[pid] -= 1
    for pid in (pid for pid in order if missing[pid] > 0):
        while missing[pid] > 0 and planner.move_for(pid):
            missing[pid] -= 1
        for uid in planner.ranked(pid, planner.maximum, missing[pid]):
            planner.add(pid, uid, WHY_BEYOND_TARGET)
            missing[pid] -= 1
    short = {pid: count for pid, count in missing.items() if count > 0}
    return Plan(list(planner.pairs.values()), short, planner.loads, share)


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
