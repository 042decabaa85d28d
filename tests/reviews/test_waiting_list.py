"""The quota and the waiting list: over-quota funding needs a reason, the waiting list is ranked, a
contract given back goes to the next on the list in one step and its director is told."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import ContractRelease, Decision, Outcome, QuotaOverride
from portal.reviews.waiting_list import NotPublished, QuotaExceeded, release_contract
from tests import factories


def _same_marks(mark: str) -> dict[int, str]:
    return dict.fromkeys(range(4), mark)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def _decisions() -> dict[int, Decision]:
    db.session.expire_all()
    return {d.proposal_id: d for d in db.session.scalars(select(Decision))}


@pytest.fixture
def four(desk):
    """Four reviewed proposals, best first; one funded contract."""
    desk.funded_contracts = 1
    proposals = [factories.submitted_proposal(desk.campaign) for _ in range(4)]
    reviewer = factories.reviewer()
    for proposal, mark in zip(proposals, "5432", strict=True):
        factories.submitted_review(desk, proposal, reviewer, _same_marks(mark))
    return proposals


def test_a_second_funded_decision_is_refused_then_accepted_with_a_reason(desk, client, four):
    first, second, third, fourth = four
    path = f"/reviews/committees/{desk.id}/ranking"
    typed = {
        **{f"rank-{p.id}": str(n) for n, p in enumerate(four, start=1)},
        f"outcome-{first.id}": "funded",
        f"outcome-{second.id}": "funded",
        f"outcome-{third.id}": "waiting_list",
        f"outcome-{fourth.id}": "not_funded",
    }
    refused = client.submit(f"/reviews/committees/{desk.id}/decisions", typed, page=path)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "More proposals are funded (2) than there are funded contracts (1)." in _text(html)
    error = re.search(r'id="over_quota_reason-error">([^<]+)<', html)
    assert error and "Say why, or fund fewer proposals" in error.group(1)
    # What was typed is shown again, and nothing is saved.
    assert re.search(rf'id="outcome-{second.id}".*?value="funded" selected', html, re.S)
    assert all(d.outcome is None for d in _decisions().values())

    too_long = client.submit(
        f"/reviews/committees/{desk.id}/decisions", {**typed, "over_quota_reason": "x" * 501}, page=path
    )
    assert too_long.status_code == 400 and "At most 500 characters." in too_long.get_data(as_text=True)

    reason = "Un second contrat est cofinancé par l’ED 130."
    accepted = client.submit(
        f"/reviews/committees/{desk.id}/decisions", {**typed, "over_quota_reason": reason}, page=path
    )
    assert accepted.status_code == 302
    decisions = _decisions()
    assert [decisions[p.id].outcome for p in four] == [
        Outcome.funded,
        Outcome.funded,
        Outcome.waiting_list,
        Outcome.not_funded,
    ]
    override = db.session.scalar(select(QuotaOverride))
    assert (override.funded, override.reason, override.decided_by_id) == (2, reason, desk.staff.id)
    (event,) = _events("decisions.over_quota")
    assert event.actor_id == desk.staff.id
    assert event.details == {"funded": 2, "contracts": 1, "reason": reason}
    assert reason in client.get(path).get_data(as_text=True).replace("&rsquo;", "’")
    # Confirmed once: saving the same decisions again asks nothing more.
    again = client.submit(f"/reviews/committees/{desk.id}/decisions", typed, page=path)
    assert again.status_code == 302 and len(_events("decisions.over_quota")) == 1


def test_publication_is_refused_when_the_contracts_fell_below_the_funded(desk, four):
    desk.funded_contracts = 2
    set_decisions(
        committee=desk,
        ordered_ids=[p.id for p in four],
        outcomes={p.id: Outcome.funded if n < 2 else Outcome.not_funded for n, p in enumerate(four)},
        by=desk.staff,
    )
    desk.funded_contracts = 1
    factories.end_reviews(desk)
    with pytest.raises(QuotaExceeded):
        publish_decisions(committee=desk, by=desk.staff)


def test_the_waiting_list_is_ranked_and_each_director_told_their_place(desk, client, four, mailbox):
    first, second, third, fourth = four
    path = f"/reviews/committees/{desk.id}/ranking"
    client.submit(
        f"/reviews/committees/{desk.id}/decisions",
        {
            f"rank-{first.id}": "1",
            f"rank-{second.id}": "2",
            f"rank-{third.id}": "4",
            f"rank-{fourth.id}": "3",
            f"outcome-{first.id}": "funded",
            f"outcome-{second.id}": "not_funded",
            f"outcome-{third.id}": "waiting_list",
            f"outcome-{fourth.id}": "waiting_list",
        },
        page=path,
    )
    decisions = _decisions()
    # The fourth was moved before the third: first on the waiting list.
    assert (decisions[fourth.id].waiting_rank, decisions[third.id].waiting_rank) == (1, 2)
    assert decisions[first.id].waiting_rank is None and decisions[second.id].waiting_rank is None
    html = client.get(path).get_data(as_text=True)
    assert "waiting list 1" in html and "waiting list 2" in html
    factories.end_reviews(desk)
    client.submit(f"/reviews/committees/{desk.id}/decisions/publish", {}, page=path)
    assert "place 2 on the waiting list" in mailbox.text(mailbox.last_to(third.owner.email))
    assert "place 1 on the waiting list" in mailbox.text(mailbox.last_to(fourth.owner.email))


@pytest.fixture
def published(desk, four):
    """Published: the first funded, the second and third waiting (in that order), the fourth not."""
    outcomes = [Outcome.funded, Outcome.waiting_list, Outcome.waiting_list, Outcome.not_funded]
    set_decisions(
        committee=desk,
        ordered_ids=[p.id for p in four],
        outcomes={p.id: o for p, o in zip(four, outcomes, strict=True)},
        by=desk.staff,
    )
    factories.end_reviews(desk)
    publish_decisions(committee=desk, by=desk.staff)
    db.session.commit()
    return four


def _release(client, desk, proposal, release: str):
    path = f"/reviews/committees/{desk.id}/ranking"
    data = {"proposal": proposal.id, "release": release}
    return client.submit(f"/reviews/committees/{desk.id}/decisions/release", data, page=path)


def test_a_declined_contract_goes_to_the_next_on_the_list_in_one_step(desk, client, published, mailbox):
    first, second, third, fourth = published
    mailbox.clear()
    html = client.get(f"/reviews/committees/{desk.id}/ranking").get_data(as_text=True)
    assert "Contracts and the waiting list" in html and "Record and offer to the next" in html
    assert f"offer the contract to #{second.id} " in html  # the confirmation names who is next

    response = _release(client, desk, first, "declined")
    assert response.status_code == 302
    decisions = _decisions()
    assert decisions[first.id].released is ContractRelease.declined
    assert decisions[second.id].outcome is Outcome.funded and decisions[second.id].offered_at is not None
    assert decisions[third.id].outcome is Outcome.waiting_list
    message = mailbox.last_to(second.owner.email)
    assert "A doctoral contract is offered to your proposal" in message["Subject"]
    assert "it is now funded" in mailbox.text(message)
    assert [m["To"] for m in mailbox.messages] == [second.owner.email]
    assert [e.proposal_id for e in _events("contract.released")] == [first.id]
    assert [e.details for e in _events("contract.offered")] == [{"waiting_rank": 1}]
    page = _text(client.get(f"/reviews/committees/{desk.id}/ranking").get_data(as_text=True))
    assert f"#{second.id} (waiting list 1) is offered the contract" in page
    assert "Contract declined" in page and "offered from the waiting list" in page
    # Each director reads it on their proposal's page too, not only in the e-mail.
    client.sign_out()
    client.sign_in_user(first.owner)
    html = _text(client.get(f"/proposals/{first.id}").get_data(as_text=True))
    assert "the contract was given back on" in html and "Contract declined" in html
    client.sign_out()
    client.sign_in_user(second.owner)
    html = _text(client.get(f"/proposals/{second.id}").get_data(as_text=True))
    assert "a contract given back was offered to this proposal from the waiting list on" in html
    client.sign_out()
    client.sign_in_user(desk.staff)

    # The one offered withdraws in turn: the third is offered it, and then no one is left.
    _release(client, desk, second, "withdrawn")
    assert _decisions()[third.id].outcome is Outcome.funded
    assert "it is now funded" in mailbox.text(mailbox.last_to(third.owner.email))
    _release(client, desk, third, "declined")
    page = _text(client.get(f"/reviews/committees/{desk.id}/ranking").get_data(as_text=True))
    assert "No one is waiting: the contract stays free." in page and "1 free" in page
    assert _decisions()[fourth.id].outcome is Outcome.not_funded


def test_a_free_contract_is_offered_with_the_button(desk, client, published, mailbox):
    first, second, *_ = published
    desk.funded_contracts = 2  # a second contract, found after publication
    db.session.commit()
    path = f"/reviews/committees/{desk.id}/ranking"
    assert f"Offer a free contract to #{second.id} " in client.get(path).get_data(as_text=True)
    assert client.submit(f"/reviews/committees/{desk.id}/decisions/offer", {}, page=path).status_code == 302
    assert _decisions()[second.id].outcome is Outcome.funded
    assert "it is now funded" in mailbox.text(mailbox.last_to(second.owner.email))
    client.submit(f"/reviews/committees/{desk.id}/decisions/offer", {}, page=path)
    assert "Every contract is held" in client.get(path).get_data(as_text=True)


def test_contracts_are_given_back_only_once_published(desk, four):
    desk.funded_contracts = 1
    set_decisions(
        committee=desk, ordered_ids=[four[0].id], outcomes={four[0].id: Outcome.funded}, by=desk.staff
    )
    with pytest.raises(NotPublished):
        release_contract(
            committee=desk, decision=_decisions()[four[0].id], release=ContractRelease.declined, by=desk.staff
        )
