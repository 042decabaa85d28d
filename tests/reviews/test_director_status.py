"""The director reads where their proposal stands and what that means, on its page, its receipt
and the receipt e-mail; the Reopen and Withdraw buttons follow, and nothing promised is refused."""

from datetime import UTC, datetime, timedelta

from portal.extensions import db
from portal.proposals.receipts import send_receipt
from portal.proposals.services import withdraw
from portal.reviews.services import add_member, assign, committee_of
from tests import factories

REOPEN, WITHDRAW = "Reopen to change it", ">Withdraw</button>"


def _pages(client, proposal) -> tuple[str, str]:
    view = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    receipt = client.get(f"/proposals/{proposal.id}/receipt").get_data(as_text=True)
    return view, receipt


def _submitted():
    campaign, target = factories.call_with_initiative()
    committee = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    proposal = factories.submitted_proposal(campaign)
    send_receipt(proposal)  # as the form's submission does
    db.session.commit()
    return committee, proposal


def test_submitted_and_assigned_the_director_may_still_reopen_or_withdraw_until_the_deadline(
    app_context, client, mailbox
):
    committee, proposal = _submitted()
    reviewer = factories.reviewer()
    add_member(committee=committee, user=reviewer)
    assign(committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=reviewer)
    db.session.commit()
    client.sign_in_user(proposal.owner)
    view, receipt = _pages(client, proposal)
    promise = (
        "you can reopen the proposal to change it (this submitted version stays on record) or withdraw it"
    )
    assert (
        promise in view
        and promise in receipt
        and promise in mailbox.text(mailbox.last_to(proposal.owner.email))
    )
    assert REOPEN in view and WITHDRAW in view
    # The promise holds: the portal does what the page offers.
    response = client.submit(f"/proposals/{proposal.id}/withdraw", {}, page=f"/proposals/{proposal.id}")
    assert response.status_code == 302
    db.session.expire_all()
    view, _receipt = _pages(client, proposal)
    assert "Withdrawn from the call. Until" in view and "you can reopen it" in view
    assert REOPEN in view and WITHDRAW not in view


def test_past_the_deadline_the_page_says_why_nothing_can_change_then_under_review_then_decided(
    app_context, client, mailbox
):
    committee, proposal = _submitted()
    factories.close_call(committee.campaign)
    late = factories.proposal(campaign_row=committee.campaign)
    late.extended_until = datetime.now(UTC) + timedelta(days=2)
    db.session.commit()
    client.sign_in_user(proposal.owner)
    view, receipt = _pages(client, proposal)
    waiting = "The deadline has passed: the proposal can no longer be changed or withdrawn."
    assert waiting in view and waiting in receipt and "once the call has closed for every proposal" in view
    assert REOPEN not in view and WITHDRAW not in view
    refused = client.submit(f"/proposals/{proposal.id}/reopen", {}, page=f"/proposals/{proposal.id}")
    assert refused.status_code == 302
    assert "The deadline has passed" in client.get(refused.location).get_data(as_text=True)

    late.extended_until = None
    committee.review_deadline = datetime(2027, 6, 30, 16, 0, tzinfo=UTC)
    db.session.commit()
    view, receipt = _pages(client, proposal)
    reviewing = "The committee is reviewing the proposal: it can no longer be changed or withdrawn."
    assert reviewing in view and reviewing in receipt
    assert "Reviews are due by 30 June 2027, 18:00 (Paris time)" in view

    committee.decisions_published_at = datetime.now(UTC)
    db.session.commit()
    view, receipt = _pages(client, proposal)
    assert "The committee's decision is published" in view and "Decision published" in receipt


def test_a_draft_says_until_when_it_can_be_submitted(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    view = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Not submitted yet: you can change it and submit it until" in view
    assert REOPEN not in view and WITHDRAW in view
    withdraw(proposal=proposal, author=proposal.owner)
    factories.close_call(proposal.campaign)
    view = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Withdrawn from the call; the deadline has passed." in view
    assert REOPEN not in view and WITHDRAW not in view
