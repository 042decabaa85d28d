"""Referral of a proposal to another initiative of the same call.

The form asks the director whether another initiative or institute could be interested; programme
staff of the proposal's initiative may then refer it, with a comment for the other initiative. That
initiative's staff and committee members (without a conflict) read the proposal from then on
(`permissions.reads_as_referral`); its staff record what they made of it. The director is told by
e-mail of the referral (not of the comment, written for the other initiative).
"""

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Initiative
from portal.reviews.conflicts import in_conflict
from portal.reviews.models import Committee, CommitteeMember, Referral, ReferralOutcome

COMMENT_LENGTH = 1000


class ReferralRefused(Exception):
    """Not another initiative of the call ("initiative"), or referred there already ("twice")."""


def referable_initiatives(committee: Committee) -> list[Initiative]:
    """The other initiatives of the committee's call."""
    return [i for i in committee.campaign.initiatives if i.id != committee.initiative_id]


def refer(
    *, committee: Committee, proposal: Proposal, initiative: Initiative, comment: str, by: User
) -> Referral:
    """Refer one of the committee's proposals to `initiative`; its director is told."""
    if initiative not in referable_initiatives(committee):
        raise ReferralRefused("initiative")
    existing = db.session.scalar(
        select(Referral).where(Referral.proposal_id == proposal.id, Referral.initiative_id == initiative.id)
    )
    if existing is not None:
        raise ReferralRefused("twice")
    referral = Referral(
        proposal=proposal,
        initiative=initiative,
        comment=comment.strip()[:COMMENT_LENGTH],
        referred_by_id=by.id,
    )
    db.session.add(referral)
    db.session.flush()
    record(
        "referral.created",
        actor=by,
        obj=proposal,
        initiative=initiative.acronym,
        origin=committee.initiative.acronym,
        comment=referral.comment,
    )
    send_template(
        to=proposal.owner.email,
        template="proposal_referred",
        locale=proposal.owner.locale,
        proposal=proposal,
        target=initiative,
        url=external_url("proposals.view", proposal_id=proposal.id),
    )
    return referral


def record_outcome(*, referral: Referral, outcome: ReferralOutcome, comment: str, by: User) -> None:
    """The other initiative's staff say whether they take the proposal up."""
    by_id = by.id  # read first: it may load the user, and a flush of half an answer is refused
    referral.outcome, referral.outcome_at = outcome, utcnow()
    referral.outcome_comment = comment.strip()[:COMMENT_LENGTH]
    referral.outcome_by_id = by_id
    db.session.flush()
    record(
        "referral.outcome",
        actor=by,
        obj=referral.proposal,
        initiative=referral.initiative.acronym,
        outcome=outcome,
        comment=referral.outcome_comment,
    )


def referred_ids(proposal_ids) -> set[int]:
    """Which of these proposals are referred to another initiative (one query)."""
    ids = list(proposal_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(Referral.proposal_id).where(Referral.proposal_id.in_(ids))))


def referrals_of(proposal_ids) -> dict[int, list[Referral]]:
    """The referrals of each proposal, oldest first (one query)."""
    ids = list(proposal_ids)
    found: dict[int, list[Referral]] = {}
    if ids:
        query = (
            select(Referral).where(Referral.proposal_id.in_(ids)).order_by(Referral.referred_at, Referral.id)
        )
        for referral in db.session.scalars(query):
            found.setdefault(referral.proposal_id, []).append(referral)
    return found


def referrals_from(committee: Committee) -> list[Referral]:
    """The committee's proposals it referred elsewhere."""
    return list(
        db.session.scalars(
            select(Referral)
            .join(Proposal, Proposal.id == Referral.proposal_id)
            .where(
                Proposal.campaign_id == committee.campaign_id,
                Proposal.initiative_id == committee.initiative_id,
            )
            .order_by(Referral.referred_at, Referral.id)
        )
    )


def referrals_to_initiatives(initiative_ids, *, campaign_id: int | None = None) -> list[Referral]:
    """Submitted proposals referred to these initiatives (in one call when `campaign_id` is given)."""
    ids = list(initiative_ids)
    if not ids:
        return []
    query = (
        select(Referral)
        .join(Proposal, Proposal.id == Referral.proposal_id)
        .where(Referral.initiative_id.in_(ids), Proposal.state == ProposalState.submitted)
        .order_by(Referral.referred_at, Referral.id)
    )
    if campaign_id is not None:
        query = query.where(Proposal.campaign_id == campaign_id)
    return list(db.session.scalars(query))


def referrals_to(committee: Committee) -> list[Referral]:
    """Proposals of the call other initiatives referred to this committee's."""
    return referrals_to_initiatives([committee.initiative_id], campaign_id=committee.campaign_id)


def referred_to_member(user: User) -> list[Referral]:
    """Proposals referred to the committees `user` sits on (same call), but those they are in
    conflict with: what their Reviewing page lists for them to read."""
    if not user.is_authenticated:
        return []
    query = (
        select(Referral)
        .join(Proposal, Proposal.id == Referral.proposal_id)
        .join(
            Committee,
            (Committee.campaign_id == Proposal.campaign_id)
            & (Committee.initiative_id == Referral.initiative_id),
        )
        .join(CommitteeMember, CommitteeMember.committee_id == Committee.id)
        .where(CommitteeMember.user_id == user.id, Proposal.state == ProposalState.submitted)
        .order_by(Referral.referred_at, Referral.id)
    )
    return [referral for referral in db.session.scalars(query) if not in_conflict(user, referral.proposal)]
