"""A committee's phases, derived from its dates and the clock at the boundary instants, and what the
routes refuse in each: bids after bidding closed, reviews before the call and its extensions close,
publication before the review deadline without a confirmation."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.reviews.models import Bid, Decision, Outcome, Review
from portal.reviews.phases import BiddingPhase, ReviewPhase, Timeline, timeline
from tests import factories
from tests.reviews import reviewer_data

START = datetime(2027, 3, 15, 11, 0, tzinfo=UTC)  # the call's close, or its last extension
DEADLINE = datetime(2027, 5, 1, 21, 59, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def _timeline(**changes) -> Timeline:
    values = {
        "bidding_opens_at": datetime(2027, 3, 1, tzinfo=UTC),
        "bidding_closes_at": datetime(2027, 3, 20, tzinfo=UTC),
        "reviews_start_at": START,
        "review_deadline": DEADLINE,
        "published_at": None,
    }
    return Timeline(**{**values, **changes})


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (START - SECOND, ReviewPhase.call_open),
        (START, ReviewPhase.reviewing),  # the call is closed at its closing instant
        (DEADLINE - SECOND, ReviewPhase.reviewing),
        (DEADLINE, ReviewPhase.deliberation),  # and reviews at the deadline's
    ],
)
def test_the_review_phase_turns_at_the_closing_instants(now, phase):
    assert _timeline().phase(now) is phase


def test_published_is_final_and_no_deadline_means_reviews_stay_open():
    assert _timeline(published_at=START + SECOND).phase(START + 2 * SECOND) is ReviewPhase.published
    endless = _timeline(review_deadline=None)
    assert endless.phase(DEADLINE + timedelta(days=400)) is ReviewPhase.reviewing
    assert endless.publication_is_early(DEADLINE) and not _timeline().publication_is_early(DEADLINE)


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (datetime(2027, 3, 1, tzinfo=UTC) - SECOND, BiddingPhase.upcoming),
        (datetime(2027, 3, 1, tzinfo=UTC), BiddingPhase.open),
        (datetime(2027, 3, 20, tzinfo=UTC) - SECOND, BiddingPhase.open),
        (datetime(2027, 3, 20, tzinfo=UTC), BiddingPhase.closed),
    ],
)
def test_bidding_opens_and_closes_at_its_dates(now, phase):
    assert _timeline().bidding(now) is phase


def test_bidding_without_dates_is_not_open_and_closes_with_the_decisions():
    assert _timeline(bidding_opens_at=None, bidding_closes_at=None).bidding(START) is BiddingPhase.unset
    assert _timeline(published_at=START).bidding(START + SECOND) is BiddingPhase.closed


def test_reviews_start_after_the_latest_extension_of_the_call(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    closes = committee.campaign.closes_at
    assert timeline(committee).reviews_start_at == closes
    # An extension to any proposal of the call holds every review back: it may change initiative.
    proposal.extended_until = closes + timedelta(days=3)
    db.session.commit()
    assert timeline(committee).reviews_start_at == closes + timedelta(days=3)
    assert timeline(committee).phase(closes + timedelta(days=1)) is ReviewPhase.call_open


def test_a_bid_sent_after_bidding_closed_is_refused_and_says_why(app_context, client):
    desk = reviewer_data.desk()
    factories.open_bidding(desk.committee)
    client.sign_in_user(desk.reviewer)
    page = client.get("/reviews/bids").get_data(as_text=True)
    assert "Bidding is open until" in page
    desk.committee.bidding_closes_at = datetime.now(UTC) - SECOND
    db.session.commit()
    refused = client.submit("/reviews/bids", {f"bid_{desk.proposal.id}": "eager"}, page="/reviews/bids")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "is not open: your preferences were not saved" in text and "Bidding closed on" in text
    assert db.session.scalar(select(Bid)) is None
    assert 'name="bid_' not in client.get("/reviews/bids").get_data(as_text=True)


def test_a_review_before_the_call_and_its_extensions_close_is_refused(app_context, client):
    desk = reviewer_data.desk()
    # Another proposal of the call has until tomorrow: reviews wait for it.
    other = factories.proposal(campaign_row=desk.committee.campaign)
    other.extended_until = datetime.now(UTC) + timedelta(days=1)
    db.session.commit()
    client.sign_in_user(desk.reviewer)
    page = client.get(desk.review_path).get_data(as_text=True)
    assert "Reviews start once the call has closed for every proposal, on" in page
    assert 'name="comments_committee"' not in page
    response = client.submit(desk.review_path, desk.complete_form(base_version="1"), page=desk.review_path)
    assert response.status_code == 409
    assert "Reviews start once the call has closed for every proposal" in response.get_data(as_text=True)
    assert db.session.scalar(select(Review)) is None
    assert "Reviews start once the call" in client.get("/reviews/").get_data(as_text=True)


def _decided(desk):
    staff = factories.user()
    db.session.add(
        Decision(proposal_id=desk.proposal.id, rank=1, outcome=Outcome.funded, decided_by_id=staff.id)
    )
    desk.committee.review_deadline = datetime.now(UTC) + timedelta(days=20)
    desk.committee.funded_contracts = 1
    db.session.commit()


def test_publication_before_the_review_deadline_needs_a_confirmation_and_is_audited(app_context, client):
    from portal.auth.models import Role

    desk = reviewer_data.desk()
    _decided(desk)
    staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative, two_factor=True)
    client.sign_in_user(staff)
    ranking = f"/reviews/committees/{desk.committee.id}/ranking"
    publish = f"/reviews/committees/{desk.committee.id}/decisions/publish"
    assert "Publish before the review deadline" in client.get(ranking).get_data(as_text=True)
    client.submit(publish, {}, page=ranking)
    db.session.expire_all()
    assert desk.committee.decisions_published_at is None
    assert "The review deadline has not passed" in client.get(ranking).get_data(as_text=True)
    client.submit(publish, {"confirm_early": "y"}, page=ranking)
    db.session.expire_all()
    assert desk.committee.decisions_published_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "decisions.published"))
    assert event.details["early"] is True and event.actor_id == staff.id


def test_publication_while_the_call_is_open_is_refused_even_confirmed(app_context, client):
    from portal.auth.models import Role

    campaign, target = factories.call_with_initiative()
    from portal.reviews.services import committee_of

    committee = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    staff = factories.user(None, Role.programme_staff, scope=target, two_factor=True)
    client.sign_in_user(staff)
    ranking = f"/reviews/committees/{committee.id}/ranking"
    factories.submitted_proposal(campaign)
    client.submit(f"/reviews/committees/{committee.id}/decisions", {"action": "suggest"}, page=ranking)
    client.submit(
        f"/reviews/committees/{committee.id}/decisions/publish", {"confirm_early": "y"}, page=ranking
    )
    db.session.expire_all()
    assert committee.decisions_published_at is None
    assert "The call is still open for some proposals" in client.get(ranking).get_data(as_text=True)
