"""The quota and the waiting list ("liste complémentaire").

Funded decisions never exceed the committee's contracts unless staff confirm it with a reason
(`QuotaOverride`, audited). The waiting list is ranked with the decisions (1 = first); once the
decisions are published, a funded proposal whose contract is declined or withdrawn gives it back,
and the first on the waiting list is offered it, its director told by e-mail.
"""

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.reviews.models import Committee, ContractRelease, Decision, Outcome, QuotaOverride
from portal.reviews.services import committee_scope

# An over-quota reason is kept whole in the audit log: a bound keeps it a sentence, not a file.
REASON_LENGTH = 500


class QuotaExceeded(Exception):
    """More funded decisions than contracts, and no confirmation with a reason covers them."""

    def __init__(self, funded: int, contracts: int):
        super().__init__(f"{funded} funded for {contracts} contracts")
        self.funded, self.contracts = funded, contracts


class NotPublished(Exception):
    """Contracts are given back and offered only once the directors know the decisions."""


class NoContractFree(Exception):
    """Every contract is held: there is nothing to offer."""


class WaitingListEmpty(Exception):
    pass


def latest_override(committee: Committee) -> QuotaOverride | None:
    """The latest confirmation of funding beyond the contracts: the one that counts."""
    return db.session.scalar(
        select(QuotaOverride)
        .where(QuotaOverride.committee_id == committee.id)
        .order_by(QuotaOverride.decided_at.desc(), QuotaOverride.id.desc())
        .limit(1)
    )


def allowed_funded(committee: Committee) -> int:
    """The contracts, or more when staff confirmed more with a reason."""
    override = latest_override(committee)
    return max(committee.funded_contracts, override.funded if override else 0)


def keep_quota(*, committee: Committee, decisions: list[Decision], reason: str, by: User) -> None:
    """Refuse more funded decisions than allowed, unless `reason` confirms them (recorded)."""
    funded = sum(1 for decision in decisions if decision.holds_contract)
    if funded <= allowed_funded(committee):
        return
    reason = reason.strip()
    if not reason:
        raise QuotaExceeded(funded, committee.funded_contracts)
    db.session.add(
        QuotaOverride(
            committee_id=committee.id, funded=funded, reason=reason[:REASON_LENGTH], decided_by_id=by.id
        )
    )
    record(
        "decisions.over_quota",
        actor=by,
        obj=committee,
        funded=funded,
        contracts=committee.funded_contracts,
        reason=reason[:REASON_LENGTH],
    )


def rank_waiting_list(decisions: list[Decision]) -> None:
    """Number the waiting list 1, 2… in the committee's order; other decisions have no place on it."""
    waiting = sorted(
        (d for d in decisions if d.outcome is Outcome.waiting_list),
        key=lambda d: (d.rank is None, d.rank or 0, d.proposal_id),
    )
    for decision in decisions:
        decision.waiting_rank = None
    for place, decision in enumerate(waiting, start=1):
        decision.waiting_rank = place


def committee_decisions(committee: Committee) -> list[Decision]:
    from portal.proposals.models import Proposal

    scope = select(Proposal.id).where(*committee_scope(committee))
    return list(db.session.scalars(select(Decision).where(Decision.proposal_id.in_(scope))))


def waiting_list(committee: Committee) -> list[Decision]:
    """Who is still waiting, first first."""
    return sorted(
        (d for d in committee_decisions(committee) if d.outcome is Outcome.waiting_list),
        key=lambda d: (d.waiting_rank is None, d.waiting_rank or 0, d.proposal_id),
    )


def free_contracts(committee: Committee) -> int:
    """Contracts no funded proposal holds (one given back, or never given)."""
    held = sum(1 for decision in committee_decisions(committee) if decision.holds_contract)
    return max(committee.funded_contracts - held, 0)


def release_contract(
    *, committee: Committee, decision: Decision, release: ContractRelease, by: User
) -> Decision | None:
    """The funded proposal gives its contract back; the next on the waiting list is offered it.

    Returns the decision offered the contract, or None when the waiting list is empty (or an
    over-quota funding is what was given back: the committee's contracts are all held still).
    """
    if committee.decisions_published_at is None:
        raise NotPublished(str(committee))
    if not decision.holds_contract:
        raise NoContractFree(str(decision.proposal_id))
    decision.released, decision.released_at = release, utcnow()
    db.session.flush()
    record("contract.released", actor=by, obj=decision.proposal, release=release)
    if free_contracts(committee) and waiting_list(committee):
        return offer_next(committee=committee, by=by)
    return None


def offer_next(*, committee: Committee, by: User) -> Decision:
    """Offer a free contract to the first on the waiting list, and tell its director."""
    if committee.decisions_published_at is None:
        raise NotPublished(str(committee))
    if not free_contracts(committee):
        raise NoContractFree(str(committee))
    waiting = waiting_list(committee)
    if not waiting:
        raise WaitingListEmpty(str(committee))
    decision = waiting[0]
    decision.outcome = Outcome.funded
    decision.offered_at = utcnow()
    decision.decided_by_id = by.id
    db.session.flush()
    proposal = decision.proposal
    record("contract.offered", actor=by, obj=proposal, waiting_rank=decision.waiting_rank)
    send_template(
        to=proposal.owner.email,
        template="contract_offered",
        locale=proposal.owner.locale,
        proposal=proposal,
        waiting_rank=decision.waiting_rank,
        url=external_url("proposals.view", proposal_id=proposal.id),
    )
    return decision
