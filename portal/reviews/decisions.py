"""The committee's final order and decisions, and their publication to the directors."""

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.reviews.models import Committee, Decision, Outcome
from portal.reviews.phases import ReviewPhase, timeline
from portal.reviews.referrals import referred_ids
from portal.reviews.services import committee_proposals
from portal.reviews.summaries import for_director
from portal.reviews.waiting_list import keep_quota, rank_waiting_list


class DecisionsIncomplete(Exception):
    """Some proposals have no decision yet: publishing would leave their directors without one."""


class AlreadyPublished(Exception):
    pass


class ReferralMissing(Exception):
    """ "Referred" is the decision only for a proposal referred to another initiative first."""

    def __init__(self, proposal_ids: list[int]):
        super().__init__(", ".join(map(str, proposal_ids)))
        self.proposal_ids = proposal_ids


class PublicationTooEarly(Exception):
    """Not now: "call_open" while the call or an extension of it runs (never, even confirmed);
    "unconfirmed" before the review deadline (or with none set) without a confirmation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def set_decisions(
    *,
    committee: Committee,
    ordered_ids: list[int],
    outcomes: dict[int, Outcome | None],
    by: User,
    over_quota_reason: str = "",
) -> None:
    """Record the final order (1 = first) and each proposal's outcome; refused once published, and
    beyond the funded contracts unless `over_quota_reason` confirms it (waiting_list.keep_quota)."""
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
            decision = existing[proposal_id] = Decision(proposal_id=proposal_id, decided_by_id=by.id)
            db.session.add(decision)
        decision.rank = ranks.get(proposal_id)
        decision.outcome = outcomes.get(proposal_id, decision.outcome)
        decision.decided_by_id = by.id
        decision.decided_at = utcnow()
    decided = list(existing.values())
    unreferred = sorted(
        {d.proposal_id for d in decided if d.outcome is Outcome.referred} - referred_ids(proposals)
    )
    if unreferred:
        raise ReferralMissing(unreferred)
    rank_waiting_list(decided)
    keep_quota(committee=committee, decisions=decided, reason=over_quota_reason, by=by)
    db.session.flush()
    record(
        "decisions.set",
        actor=by,
        obj=committee,
        outcomes={str(pid): outcome for pid, outcome in outcomes.items() if pid in proposals},
        order=[pid for pid in ordered_ids if pid in proposals],
    )


def publish_decisions(*, committee: Committee, by: User, early: bool = False) -> int:
    """Every director receives the decision, the chair's summary and (when the committee shows them)
    the reviewers' comments for them; returns how many.

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
    # The contracts may have changed since the decisions were saved.
    keep_quota(committee=committee, decisions=list(decisions.values()), reason="", by=by)
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
            from_committee=for_director(proposal, committee),
            waiting_rank=decisions[proposal.id].waiting_rank,
            url=external_url("proposals.view", proposal_id=proposal.id),
        )
    return len(proposals)
