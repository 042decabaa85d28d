"""Referral to another initiative of the call: staff refer with a comment, the director is told, the
other initiative's staff and committee read the proposal (no one else), answer, and it is exported."""

import csv
import io
import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.reviews.decisions import ReferralMissing, set_decisions
from portal.reviews.models import ConflictSource, Outcome, Referral, ReferralOutcome
from portal.reviews.referrals import record_outcome
from portal.reviews.services import add_member, committee_of, declare_conflict
from tests import factories

COMMENT = "Fits the ISCD theme on reliable computing."


@pytest.fixture
def call(desk):
    """SCAI's committee (its staff signed in) and ISCD's in the same call, with a member each side."""
    # Made first: a proposal goes to the call's first initiative, and ISCD comes before SCAI.
    proposal = factories.submitted_proposal(
        desk.campaign, other_initiative_interest={"answer": True, "details": "ISCD, for the numerics."}
    )
    second = factories.submitted_proposal(desk.campaign)
    iscd = factories.initiative("ISCD")
    desk.campaign.initiatives.append(iscd)
    db.session.commit()
    other = committee_of(campaign=desk.campaign, initiative=iscd)
    member, outsider = factories.reviewer(), factories.reviewer()
    add_member(committee=other, user=member)
    add_member(committee=desk, user=outsider)
    db.session.commit()
    return SimpleNamespace(
        committee=desk,
        other=other,
        iscd=iscd,
        proposal=proposal,
        second=second,
        member=member,
        outsider=outsider,
        iscd_staff=factories.user("iscd@example.org", Role.programme_staff, scope=iscd, two_factor=True),
        qics_staff=factories.user("qics@example.org", Role.programme_staff, two_factor=True),
    )


def _refer(client, call, comment: str = COMMENT):
    path = f"/reviews/committees/{call.committee.id}/referrals"
    data = {"proposal": call.proposal.id, "initiative": call.iscd.id, "comment": comment}
    return client.submit(path, data, page=path)


def test_staff_refer_with_a_comment_and_the_director_is_told(call, client, mailbox):
    path = f"/reviews/committees/{call.committee.id}/referrals"
    html = client.get(path).get_data(as_text=True)
    assert "ISCD, for the numerics." in html  # the director's answer to the form's question
    refused = _refer(client, call, comment="")
    assert refused.status_code == 400
    assert "Say why this proposal may interest them." in refused.get_data(as_text=True)
    assert _refer(client, call, comment="x" * 1001).status_code == 400
    assert db.session.scalar(select(Referral)) is None

    assert _refer(client, call).status_code == 302
    referral = db.session.scalar(select(Referral))
    assert (referral.initiative_id, referral.comment, referral.referred_by_id) == (
        call.iscd.id,
        COMMENT,
        call.committee.staff.id,
    )
    message = mailbox.last_to(call.proposal.owner.email)
    assert "is referred to ISCD" in message["Subject"]
    assert COMMENT not in mailbox.text(message)
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "referral.created"))
    assert event.proposal_id == call.proposal.id and event.details["comment"] == COMMENT
    assert "already" in _refer(client, call).get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert "Referred by this committee" in page and COMMENT in page and "awaited" in page


def test_the_other_initiative_reads_it_and_no_one_else_does(call, client):
    _refer(client, call)
    proposal_page = f"/proposals/{call.proposal.id}"
    client.sign_out()
    for reader in (call.iscd_staff, call.member):
        client.sign_in_user(reader)
        assert client.get(proposal_page).status_code == 200
        assert client.get(f"{proposal_page}/pdf").status_code in (200, 202)
        client.sign_out()
    client.sign_in_user(call.member)
    index = client.get("/reviews/").get_data(as_text=True)
    assert "Referred to your committee by another initiative" in index and COMMENT in index
    client.sign_out()
    # The staff of a third initiative, and a member of no ISCD committee: as if it did not exist.
    for stranger in (call.qics_staff, factories.reviewer()):
        client.sign_in_user(stranger)
        assert client.get(proposal_page).status_code == 404
        client.sign_out()
    # An ISCD member in conflict with it sees nothing of it either.
    declare_conflict(proposal=call.proposal, user=call.member, source=ConflictSource.declared)
    db.session.commit()
    client.sign_in_user(call.member)
    assert client.get(proposal_page).status_code == 404
    assert COMMENT not in client.get("/reviews/").get_data(as_text=True)


def test_the_other_initiative_answers_and_the_committee_reads_the_answer(call, client):
    _refer(client, call)
    referral = db.session.scalar(select(Referral))
    client.sign_out()
    outcome_path = f"/reviews/referrals/{referral.id}/outcome"
    prefix = f"referral-{referral.id}-"
    answer = {f"{prefix}outcome": "taken_up", f"{prefix}comment": "We fund it from our own budget."}
    client.sign_in_user(call.qics_staff)
    assert client.submit(outcome_path, answer, page="/").status_code == 403
    client.sign_out()
    client.sign_in_user(call.iscd_staff)
    received = f"/reviews/committees/{call.other.id}/referrals"
    page = client.get(received).get_data(as_text=True)
    assert "Referred to ISCD by other initiatives" in page and COMMENT in page
    missing = client.submit(outcome_path, {f"{prefix}comment": "?"}, page=received)
    assert missing.status_code == 400
    assert client.submit(outcome_path, answer, page=received).status_code == 302
    db.session.expire_all()
    assert referral.outcome is ReferralOutcome.taken_up and referral.outcome_by_id == call.iscd_staff.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "referral.outcome"))
    assert event.details["outcome"] == "taken_up"
    client.sign_out()
    client.sign_in_user(call.committee.staff)
    sent = client.get(f"/reviews/committees/{call.committee.id}/referrals").get_data(as_text=True)
    assert "Taken up" in sent and "We fund it from our own budget." in sent


def test_referred_is_a_decision_only_once_the_proposal_is_referred(call, client):
    outcome = {call.proposal.id: Outcome.referred}
    with pytest.raises(ReferralMissing):
        set_decisions(
            committee=call.committee, ordered_ids=[call.proposal.id], outcomes=outcome, by=call.iscd_staff
        )
    db.session.rollback()
    _refer(client, call)
    set_decisions(
        committee=call.committee, ordered_ids=[call.proposal.id], outcomes=outcome, by=call.iscd_staff
    )
    db.session.commit()
    html = client.get(f"/reviews/committees/{call.committee.id}/ranking").get_data(as_text=True)
    assert "referred to ISCD" in html
    assert re.search(r'value="referred" selected>Referred to another initiative<', html)


def _csv(client) -> dict[int, dict[str, str]]:
    text = client.get("/exports/proposals.csv", buffered=True).get_data(as_text=True).lstrip("\ufeff")
    return {int(row["Id"]): row for row in csv.DictReader(io.StringIO(text))}


def test_the_exports_show_the_decision_the_waiting_rank_and_the_referral(call, client):
    call.committee.funded_contracts = 1
    db.session.commit()
    _refer(client, call)
    second = call.second
    set_decisions(
        committee=call.committee,
        ordered_ids=[second.id, call.proposal.id],
        outcomes={second.id: Outcome.funded, call.proposal.id: Outcome.waiting_list},
        by=call.committee.staff,
    )
    record_outcome(
        referral=db.session.scalar(select(Referral)),
        outcome=ReferralOutcome.not_taken_up,
        comment="",
        by=call.iscd_staff,
    )
    db.session.commit()
    rows = _csv(client)
    row = rows[call.proposal.id]
    assert (row["Decision"], row["Waiting list rank"], row["Contract"]) == ("On the waiting list", "1", "")
    assert (row["Referred to"], row["Referral comment"]) == ("ISCD", COMMENT)
    assert row["Referral answer"] == "ISCD: Not taken up"
    assert rows[second.id]["Decision"] == "Funded" and rows[second.id]["Referred to"] == ""
    # ISCD's staff export the proposal referred to them, with the referral but not SCAI's scores.
    client.sign_out()
    client.sign_in_user(call.iscd_staff)
    theirs = _csv(client)
    assert set(theirs) == {call.proposal.id}
    assert theirs[call.proposal.id]["Referred to"] == "ISCD" and theirs[call.proposal.id]["Decision"] == ""
