"""The committee's final order and decisions, and their publication to the directors."""

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.reviews.models import Assignment, Committee, Decision, Outcome, Review, ReviewState
from portal.reviews.phases import ReviewPhase, timeline
from portal.reviews.services import committee_proposals


class DecisionsIncomplete(Exception):
    """Some proposals have no decision yet: publishing would leave their directors without one."""


class AlreadyPublished(Exception):
    pass


class PublicationTooEarly(Exception):
    """Not now: "call_open" while the call or an extension of it runs (never, even confirmed);
    "unconfirmed" before the review deadline (or with none set) without a confirmation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def set_decisions(
    *, committee: Committee, ordered_ids: list[int], outcomes: dict[int, Outcome | None], by: User
) -> None:
    """Record the final order (1 = first) and each proposal's outcome; refused once published."""
    if committee.decisions_published_at is not None:
        raise AlreadyPublished(str(committee))
    proposals = {proposal.id: proposal for proposal in committee_proposals(committee)}
    existing = {
        d.proposal_id: d
        for d in db.session.scalars(select(Decision).where(Decision.proposal_id.in_(proposals)))
    }
    ranks = {
        proposal_id: position
        for position, proposal_id in enumerate(ordered_ids, start=1)
        if proposal_id in proposals
    }
    for proposal_id in proposals:
        decision = existing.get(proposal_id)
        if decision is None:
            decision = Decision(proposal_id=proposal_id, decided_by_id=by.id)
            db.session.add(decision)
        decision.rank = ranks.get(proposal_id)
        decision.outcome = outcomes.get(proposal_id, decision.outcome)
        decision.decided_by_id = by.id
        decision.decided_at = utcnow()
    db.session.flush()
    record(
        "decisions.set",
        actor=by,
        obj=committee,
        outcomes={str(pid): outcome for pid, outcome in outcomes.items() if pid in proposals},
        order=[pid for pid in ordered_ids if pid in proposals],
    )


def applicant_comments(proposal_id: int) -> list[str]:
    """The comments reviewers wrote for the applicant, from submitted reviews only."""
    comments = db.session.scalars(
        select(Review.comments_applicant)
        .join(Assignment, Review.assignment_id == Assignment.id)
        .where(Assignment.proposal_id == proposal_id, Review.state == ReviewState.submitted)
        .order_by(Review.id)
    )
    return [comment for comment in comments if comment.strip()]


def publish_decisions(*, committee: Committee, by: User, early: bool = False) -> int:
    """Every director receives the decision and the comments meant for them; returns how many.

    After the review deadline; before it only when `early` is confirmed (the audit log says so);
    never while directors may still change their proposals."""
    if committee.decisions_published_at is not None:
        raise AlreadyPublished(str(committee))
    now = utcnow()
    dates = timeline(committee)
    if dates.phase(now) is ReviewPhase.call_open:
        raise PublicationTooEarly("call_open")
    cut_short = dates.publication_is_early(now)
    if cut_short and not early:
        raise PublicationTooEarly("unconfirmed")
    proposals = committee_proposals(committee)
    decisions = {
        d.proposal_id: d
        for d in db.session.scalars(
            select(Decision).where(Decision.proposal_id.in_([p.id for p in proposals]))
        )
    }
    if any(
        decisions.get(proposal.id) is None or decisions[proposal.id].outcome is None for proposal in proposals
    ):
        raise DecisionsIncomplete(str(committee))
    committee.decisions_published_at = now
    db.session.flush()
    record(
        "decisions.published",
        actor=by,
        obj=committee,
        proposals=len(proposals),
        # Confirmed before the review deadline: reviewers were cut short, on purpose.
        early=cut_short,
        review_deadline=committee.review_deadline,
    )
    for proposal in proposals:
        # On each proposal's trail too: its director reads there when they were told.
        record("decision.published", actor=by, obj=proposal, outcome=decisions[proposal.id].outcome)
        send_template(
            to=proposal.owner.email,
            template="decision_published",
            locale=proposal.owner.locale,
            proposal=proposal,
            outcome=decisions[proposal.id].outcome,
            comments=applicant_comments(proposal.id),
            url=external_url("proposals.view", proposal_id=proposal.id),
        )
    return len(proposals)
