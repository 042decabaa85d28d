"""Who may manage a committee, review a proposal, see other reviews and the discussion.

Every committee page of a proposal (its review, the conflict button, its discussion, and the
school's opinion shown on them) passes `sees_on_committee_pages` first: the committee knows only
submitted proposals. A draft, a reopened proposal (back to draft until submitted again) and a
withdrawn one answer 404 there like an unknown id. A reviewer in conflict with a proposal sees
nothing of it: not the proposal, its PDF, its reviews, its discussion or its scores, whatever page
or list asks.
"""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reviews.conflicts import in_conflict
from portal.reviews.models import (
    Assignment,
    Committee,
    CommitteeMember,
    Referral,
    ReviewState,
    ReviewVisibility,
)


def committee_for(proposal: Proposal) -> Committee | None:
    if proposal.initiative_id is None:
        return None
    return db.session.scalar(
        select(Committee).where(
            Committee.campaign_id == proposal.campaign_id, Committee.initiative_id == proposal.initiative_id
        )
    )


def manages(user: User, committee: Committee) -> bool:
    """Programme staff of the committee's initiative, and administrators."""
    return user.is_authenticated and (user.is_admin or committee.initiative_id in user.staff_initiative_ids())


def membership(user: User, committee: Committee) -> CommitteeMember | None:
    if not user.is_authenticated:
        return None
    return next((member for member in committee.members if member.user_id == user.id), None)


def assignment_of(user: User, proposal: Proposal) -> Assignment | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        select(Assignment).where(Assignment.proposal_id == proposal.id, Assignment.reviewer_id == user.id)
    )


def sees_on_committee_pages(user: User, proposal: Proposal, committee: Committee | None = None) -> bool:
    """The rule of every committee page of a proposal: a submitted proposal, for the managers of its
    committee, and for its members and reviewers assigned to it who are not in conflict."""
    if proposal.state is not ProposalState.submitted or not user.is_authenticated:
        return False
    committee = committee or committee_for(proposal)
    if committee is not None and manages(user, committee):
        return True
    if committee is None or in_conflict(user, proposal):
        return False
    return membership(user, committee) is not None or assignment_of(user, proposal) is not None


def can_review(user: User, proposal: Proposal) -> bool:
    """Assigned to it, and seeing it on the committee's pages; never in conflict, even as a manager."""
    if assignment_of(user, proposal) is None or not sees_on_committee_pages(user, proposal):
        return False
    return not in_conflict(user, proposal)


def on_committee_side(user: User, proposal: Proposal, committee: Committee | None = None) -> bool:
    """Managers, and committee members without a conflict: they may follow the discussion."""
    committee = committee or committee_for(proposal)
    if committee is None or not sees_on_committee_pages(user, proposal, committee):
        return False
    return manages(user, committee) or membership(user, committee) is not None


def can_see_other_reviews(user: User, proposal: Proposal, committee: Committee | None = None) -> bool:
    committee = committee or committee_for(proposal)
    if committee is None or not on_committee_side(user, proposal, committee):
        return False
    if manages(user, committee):
        return True
    if committee.visibility is ReviewVisibility.always:
        return True
    if committee.visibility is ReviewVisibility.never:
        return False
    own = assignment_of(user, proposal)
    return own is not None and own.review is not None and own.review.state is ReviewState.submitted


def managed_committee(committee_id: int) -> Committee:
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        abort(404)
    if not manages(current_user, committee):
        abort(403)
    return committee


def board_committee(committee_id: int) -> tuple[Committee, bool]:
    """The committee for its assignment board, and whether the reader may act on it: managers act;
    its chair reads it (the proposals they are in conflict with left out), to see who the directors
    asked not to be reviewed by."""
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        abort(404)
    if manages(current_user, committee):
        return committee, True
    member = membership(current_user, committee)
    if member is None or not member.is_chair:
        abort(403)
    return committee, False


def committee_page(proposal_id: int) -> tuple[Proposal, Committee]:
    """The proposal and its committee for a committee page; 404 when the user may not see it there,
    exactly as for an id that does not exist (a draft's id reveals nothing)."""
    proposal = db.session.get(Proposal, proposal_id)
    committee = committee_for(proposal) if proposal is not None else None
    if committee is None or not sees_on_committee_pages(current_user, proposal, committee):
        abort(404)
    return proposal, committee


def reviewable_proposal(proposal_id: int) -> tuple[Proposal, Assignment, Committee]:
    """The proposal, the current user's assignment and the committee; 404 when they may not review it."""
    proposal, committee = committee_page(proposal_id)
    if not can_review(current_user, proposal):
        abort(404)
    return proposal, assignment_of(current_user, proposal), committee


def reads_as_referral(user: User, proposal: Proposal) -> bool:
    """A submitted proposal referred to another initiative: that initiative's programme staff, and
    the members of its committee in the same call who are not in conflict with it, read it."""
    if proposal.state is not ProposalState.submitted or not user.is_authenticated:
        return False
    targets = set(
        db.session.scalars(select(Referral.initiative_id).where(Referral.proposal_id == proposal.id))
    )
    if not targets:
        return False
    if targets & user.staff_initiative_ids():
        return True
    member = db.session.scalar(
        select(CommitteeMember.id)
        .join(Committee, Committee.id == CommitteeMember.committee_id)
        .where(
            CommitteeMember.user_id == user.id,
            Committee.campaign_id == proposal.campaign_id,
            Committee.initiative_id.in_(targets),
        )
        .limit(1)
    )
    return member is not None and not in_conflict(user, proposal)
