"""Where a committee stands, derived from its dates and the clock and never stored, like the
campaign's phase (`Campaign.phase`). Routes, templates and the CLI all ask here.

Reviews start only once the call and every extension granted in it have closed: until then a
director may still reopen or withdraw their proposal, and no review may take it as final. Bidding
has its own dates, set by staff; unset, it is not open.
"""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign
from portal.reviews.models import Committee


class ReviewPhase(enum.Enum):
    call_open = "call_open"  # the call or an extension of it still runs
    reviewing = "reviewing"  # every deadline has passed, the review deadline has not
    deliberation = "deliberation"  # the review deadline has passed, decisions not published yet
    published = "published"


class BiddingPhase(enum.Enum):
    unset = "unset"
    upcoming = "upcoming"
    open = "open"
    closed = "closed"


@dataclass(frozen=True)
class Timeline:
    """A committee's dates; `phase` and `bidding` say where it stands at an instant."""

    bidding_opens_at: datetime | None
    bidding_closes_at: datetime | None
    # The call's closing, or the latest extension granted in it: reviews start then.
    reviews_start_at: datetime
    review_deadline: datetime | None
    published_at: datetime | None

    def phase(self, now: datetime | None = None) -> ReviewPhase:
        now = now or utcnow()
        if self.published_at is not None:
            return ReviewPhase.published
        if now < self.reviews_start_at:
            return ReviewPhase.call_open
        if self.review_deadline is not None and now >= self.review_deadline:
            return ReviewPhase.deliberation
        return ReviewPhase.reviewing

    def bidding(self, now: datetime | None = None) -> BiddingPhase:
        now = now or utcnow()
        if self.bidding_opens_at is None or self.bidding_closes_at is None:
            return BiddingPhase.unset
        if self.published_at is not None or now >= self.bidding_closes_at:
            return BiddingPhase.closed
        if now < self.bidding_opens_at:
            return BiddingPhase.upcoming
        return BiddingPhase.open

    def bidding_open(self, now: datetime | None = None) -> bool:
        return self.bidding(now) is BiddingPhase.open

    def reviews_open(self, now: datetime | None = None) -> bool:
        return self.phase(now) is ReviewPhase.reviewing

    def publication_is_early(self, now: datetime | None = None) -> bool:
        """Publishing now cuts reviewers short (before the review deadline, or none is set): it
        needs a confirmation."""
        return self.phase(now) is ReviewPhase.reviewing


def last_deadline(campaign: Campaign) -> datetime:
    """The call's closing or the latest extension granted to any of its proposals, whatever their
    initiative: a draft may still change its initiative, and a withdrawn one may come back."""
    extended = db.session.scalar(
        select(func.max(Proposal.extended_until)).where(Proposal.campaign_id == campaign.id)
    )
    return max(campaign.closes_at, extended) if extended is not None else campaign.closes_at


def timeline(committee: Committee) -> Timeline:
    return Timeline(
        bidding_opens_at=committee.bidding_opens_at,
        bidding_closes_at=committee.bidding_closes_at,
        reviews_start_at=last_deadline(committee.campaign),
        review_deadline=committee.review_deadline,
        published_at=committee.decisions_published_at,
    )
