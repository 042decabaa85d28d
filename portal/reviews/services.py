"""Committees, members, conflicts, bids and assignments; reviews are in reviewing.py."""

import logging
from dataclasses import dataclass

from sqlalchemy import func, select

from portal.audit.services import record
from portal.auth.models import Role, User
from portal.auth.services import find_user, grant_role, invite_user
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Campaign, Initiative
from portal.reviews.conflicts import ConflictStatus, conflicts_of
from portal.reviews.models import (
    Assignment,
    Bid,
    Committee,
    CommitteeMember,
    ConflictSource,
    DeclaredConflict,
    DiscussionPost,
    Preference,
    Review,
)
from portal.reviews.rubric import default_criteria, set_criteria

log = logging.getLogger(__name__)


class AssignmentRefused(Exception):
    """The reviewer is not on the committee ("not a member"), or is in conflict with the proposal:
    "suspected" when staff have still to confirm or waive every conflict that blocks, else "conflict"."""


def committee_of(*, campaign: Campaign, initiative: Initiative) -> Committee:
    """The committee of this initiative in this campaign, created with the default rubric."""
    committee = db.session.scalar(
        select(Committee).where(
            Committee.campaign_id == campaign.id, Committee.initiative_id == initiative.id
        )
    )
    if committee is None:
        committee = Committee(campaign=campaign, initiative=initiative)
        db.session.add(committee)
        db.session.flush()
        set_criteria(committee=committee, rows=default_criteria())
    return committee


def committee_scope(committee: Committee) -> tuple:
    """The conditions of the committee's proposals: submitted to its call and initiative."""
    return (
        Proposal.campaign_id == committee.campaign_id,
        Proposal.initiative_id == committee.initiative_id,
        Proposal.state == ProposalState.submitted,
    )


def committee_proposals(committee: Committee) -> list[Proposal]:
    """The submitted proposals the committee reviews."""
    return list(db.session.scalars(select(Proposal).where(*committee_scope(committee)).order_by(Proposal.id)))


def add_member(*, committee: Committee, user: User, chair: bool | None = None) -> CommitteeMember:
    """Add `user` (or change whether they chair, when `chair` is given)."""
    member = next((m for m in committee.members if m.user_id == user.id), None)
    added = member is None
    if member is None:
        member = CommitteeMember(user=user, is_chair=bool(chair))
        committee.members.append(member)
    elif chair is not None:
        member.is_chair = chair
    if not user.has_role(Role.reviewer):
        grant_role(user=user, role=Role.reviewer)
    db.session.flush()
    if added:
        record("committee.member_added", obj=committee, reviewer=user.email, chair=member.is_chair)
    return member


def invite_member(
    *, committee: Committee, email: str, first_name: str, last_name: str, chair: bool, invited_by: User
) -> CommitteeMember:
    """Someone without an account (or with one) joins the committee; new people get an invitation."""
    user = find_user(email) or invite_user(
        email=email, first_name=first_name, last_name=last_name, role=Role.reviewer, invited_by=invited_by
    )
    return add_member(committee=committee, user=user, chair=chair)


def remove_member(*, committee: Committee, member: CommitteeMember) -> None:
    """Leaves the committee; their assignments on its proposals go, their submitted reviews stay."""
    for assignment in _assignments(committee, member.user_id):
        if assignment.review is None or assignment.review.state.value == "draft":
            db.session.delete(assignment)
    reviewer = member.user
    committee.members.remove(member)
    db.session.flush()
    record("committee.member_removed", obj=committee, reviewer=reviewer.email)


def _assignments(committee: Committee, reviewer_id: int) -> list[Assignment]:
    ids = [proposal.id for proposal in committee_proposals(committee)]
    return list(
        db.session.scalars(
            select(Assignment).where(Assignment.proposal_id.in_(ids), Assignment.reviewer_id == reviewer_id)
        )
    )


@dataclass(frozen=True)
class Withdrawal:
    """An assignment withdrawn because of a conflict, and the review it held, now set aside."""

    assignment: Assignment
    review: Review | None


def withdraw_assignment(*, proposal: Proposal, user: User) -> Withdrawal | None:
    """Withdraw that reviewer's assignment to the proposal (a conflict found). Its review, draft or
    submitted, is set aside, never deleted: kept for programme staff, counted nowhere."""
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.proposal_id == proposal.id, Assignment.reviewer_id == user.id)
    )
    if assignment is None:
        return None
    review = assignment.review
    if review is not None:
        review.assignment, review.withdrawn_at = None, utcnow()
        # The review leaves its assignment first, so that the delete below cannot take it along.
        db.session.flush()
    db.session.delete(assignment)
    return Withdrawal(assignment, review)


def withdrawal_details(withdrawal: Withdrawal | None) -> dict:
    """What the audit row says of a withdrawal (or of none): the review set aside, draft or submitted."""
    if withdrawal is None:
        return {"unassigned": False}
    review = withdrawal.review
    if review is None:
        return {"unassigned": True}
    return {"unassigned": True, "review_set_aside": review.state, "review": review.id}


def declare_conflict(*, proposal: Proposal, user: User, source: ConflictSource, reason: str = "") -> None:
    """Record the conflict; an assignment of that reviewer to the proposal is withdrawn with it."""
    existing = db.session.scalar(
        select(DeclaredConflict).where(
            DeclaredConflict.proposal_id == proposal.id, DeclaredConflict.user_id == user.id
        )
    )
    if existing is None:
        db.session.add(
            DeclaredConflict(proposal_id=proposal.id, user_id=user.id, source=source, reason=reason)
        )
    withdrawal = withdraw_assignment(proposal=proposal, user=user)
    db.session.flush()
    record(
        "conflict.declared",
        obj=proposal,
        reviewer=user.email,
        source=source,
        reason=reason,
        **withdrawal_details(withdrawal),
    )
    log.info("conflict on proposal %s for user %s (%s)", proposal.id, user.id, source.value)


def set_bid(*, proposal: Proposal, user: User, preference: Preference | None) -> None:
    bid = db.session.scalar(select(Bid).where(Bid.proposal_id == proposal.id, Bid.user_id == user.id))
    if preference is None:
        if bid is not None:
            db.session.delete(bid)
    elif bid is None:
        db.session.add(Bid(proposal_id=proposal.id, user_id=user.id, preference=preference))
    else:
        bid.preference = preference
    db.session.flush()


def member_load(committee: Committee, user_id: int) -> int:
    """How many of the committee's proposals the member is assigned to (one query)."""
    return db.session.scalar(
        select(func.count(Assignment.id))
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(*committee_scope(committee), Assignment.reviewer_id == user_id)
    )


def assign(
    *, committee: Committee, proposal: Proposal, reviewer: User, assigned_by: User, automatic: bool = False
) -> Assignment:
    """Assign `reviewer` to `proposal`; one beyond the member's maximum load (confirmed on the
    board's page, or a plan confirmed after the loads changed) says so in the audit row."""
    member = next((member for member in committee.members if member.user_id == reviewer.id), None)
    if member is None:
        raise AssignmentRefused("not a member")
    blocking = [conflict for conflict in conflicts_of(reviewer, proposal) if conflict.blocks]
    if blocking:
        suspected = all(conflict.status is ConflictStatus.suspected for conflict in blocking)
        raise AssignmentRefused("suspected" if suspected else "conflict")
    existing = db.session.scalar(
        select(Assignment).where(Assignment.proposal_id == proposal.id, Assignment.reviewer_id == reviewer.id)
    )
    if existing is not None:
        return existing
    assignment = Assignment(proposal=proposal, reviewer=reviewer, assigned_by_id=assigned_by.id)
    db.session.add(assignment)
    db.session.flush()
    beyond = {}
    if member.max_load is not None:
        load = member_load(committee, reviewer.id)  # this assignment included
        if load > member.max_load:
            beyond = {"beyond_max_load": True, "load": load, "max_load": member.max_load}
    record(
        "assignment.created",
        actor=assigned_by,
        obj=assignment,
        proposal=proposal,
        reviewer=reviewer.email,
        automatic=automatic,
        **beyond,
    )
    return assignment


def unassign(*, assignment: Assignment) -> None:
    proposal, reviewer = assignment.proposal, assignment.reviewer
    db.session.delete(assignment)
    db.session.flush()
    record("assignment.removed", obj=assignment, proposal=proposal, reviewer=reviewer.email)


def post_message(*, proposal: Proposal, author: User, body: str) -> DiscussionPost:
    post = DiscussionPost(proposal_id=proposal.id, author=author, body=body.strip())
    db.session.add(post)
    db.session.flush()
    return post
