"""What the public may see now: the one query every public output goes through.

A subject is visible when all of these hold:
- its proposal is submitted (not a draft, not withdrawn), in a call that is not a draft;
- its director consented at the last submission, and programme staff have not unpublished it;
- its call's policy publishes it: `funded` once the committee's decisions are published and its
  decision is "funded"; `funded_and_waiting` the same, or its decision is "waiting list";
  `all_submitted` once the deadline (and any extension of this proposal) has passed;
  `nothing`, or no policy at all, never.

The outcome a public page may name is "funded", and "waiting list" only under
`funded_and_waiting`: never "not funded", never a decision before it is published.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, or_, select
from sqlalchemy.orm import contains_eager, lazyload

from portal.catalogue.models import CallPublication, PublicationPolicy, PublicSubject
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.reference.models import Campaign, CampaignState
from portal.reviews.models import Committee, Decision, Outcome

_DECIDED = (PublicationPolicy.funded, PublicationPolicy.funded_and_waiting)


@dataclass(frozen=True)
class Visible:
    """A subject the public may see, with what it may know of its decision."""

    subject: PublicSubject
    outcome: Outcome | None
    # When the public first saw it as it is now: the Last-Modified of the pages that show it.
    since: datetime


def visible_subjects(*, now: datetime | None = None) -> Select:
    """Rows (PublicSubject, outcome, policy_at, decisions_at) of every subject visible at `now`.

    Proposal, Campaign, CallPublication, Committee and Decision are joined: callers filter and
    order on them (`.where(Campaign.year == 2021)`, `Proposal.initiative_id == …`) and read the
    rows with `visible_rows`.
    """
    now = now or utcnow()
    published = Committee.decisions_published_at.is_not(None) & (Committee.decisions_published_at <= now)
    funded = published & (Decision.outcome == Outcome.funded)
    waiting = published & (Decision.outcome == Outcome.waiting_list)
    after_deadline = (Campaign.closes_at <= now) & or_(
        Proposal.extended_until.is_(None), Proposal.extended_until <= now
    )
    policy = CallPublication.policy
    shown_outcome = case(
        (funded, Decision.outcome),
        (waiting & (policy == PublicationPolicy.funded_and_waiting), Decision.outcome),
        else_=None,
    )
    return (
        select(
            PublicSubject,
            shown_outcome.label("outcome"),
            CallPublication.updated_at.label("policy_at"),
            Committee.decisions_published_at.label("decisions_at"),
        )
        .join(Proposal, Proposal.id == PublicSubject.proposal_id)
        .join(Campaign, Campaign.id == Proposal.campaign_id)
        .join(CallPublication, CallPublication.campaign_id == Campaign.id)
        .outerjoin(
            Committee,
            and_(
                Committee.campaign_id == Proposal.campaign_id,
                Committee.initiative_id == Proposal.initiative_id,
            ),
        )
        .outerjoin(Decision, Decision.proposal_id == Proposal.id)
        # The proposal and its call from the joins above; never its owner's account.
        .options(
            contains_eager(PublicSubject.proposal).contains_eager(Proposal.campaign),
            lazyload(PublicSubject.proposal, Proposal.owner),
            lazyload(PublicSubject.proposal, Proposal.initiative),
        )
        .where(
            Proposal.state == ProposalState.submitted,
            Campaign.state != CampaignState.draft,
            PublicSubject.consent_at.is_not(None),
            PublicSubject.unpublished_at.is_(None),
            or_(
                and_(policy.in_(_DECIDED), funded),
                and_(policy == PublicationPolicy.funded_and_waiting, waiting),
                and_(policy == PublicationPolicy.all_submitted, after_deadline),
            ),
        )
    )


def visible_rows(statement: Select) -> list[Visible]:
    """Run a statement built on `visible_subjects` and give each row as a `Visible`."""
    return [as_visible(row) for row in db.session.execute(statement)]


def visible_subject(subject_id: int, *, now: datetime | None = None) -> Visible | None:
    """The subject if the public may see it at `now`, else None (its pages answer 404)."""
    rows = visible_rows(visible_subjects(now=now).where(PublicSubject.id == subject_id))
    return rows[0] if rows else None


def as_visible(row) -> Visible:
    """A row of a statement built on `visible_subjects` (its first four columns) as a `Visible`."""
    subject, outcome, policy_at, decisions_at = row
    proposal = subject.proposal
    opened_by = decisions_at if outcome is not None else None
    if opened_by is None:
        opened_by = max(filter(None, (proposal.campaign.closes_at, proposal.extended_until)))
    since = max(
        filter(None, (policy_at, subject.consent_at, subject.revised_at, opened_by, subject.updated_at))
    )
    return Visible(subject=subject, outcome=outcome, since=since)
