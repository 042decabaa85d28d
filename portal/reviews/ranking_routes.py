"""The ranking of a committee's proposals, the final order and decisions, and their publication."""

import math
from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.extensions import db
from portal.labels import label
from portal.proposals.models import Proposal
from portal.reviews import bp
from portal.reviews.decisions import (
    AlreadyPublished,
    DecisionsIncomplete,
    PublicationTooEarly,
    ReferralMissing,
    publish_decisions,
    set_decisions,
)
from portal.reviews.models import ContractRelease, Outcome
from portal.reviews.permissions import managed_committee
from portal.reviews.phases import timeline
from portal.reviews.ranking import RankingRow, load_shown, ranking
from portal.reviews.referrals import referrals_of
from portal.reviews.waiting_list import (
    REASON_LENGTH,
    QuotaExceeded,
    free_contracts,
    latest_override,
    waiting_list,
)
from portal.timezones import local_datetime

# Sort keys of the ranking table (?sort=…); "rank" is the committee's order, the default.
SORTS = {
    "rank": None,
    "total": lambda row: (row.total is None, -(row.total or 0.0)),
    "normalised": lambda row: (row.normalised is None, -(row.normalised or 0.0)),
    "spread": lambda row: (row.spread is None, -(row.spread or 0.0)),
    "reviews": lambda row: -row.reviews,
    "title": lambda row: (row.proposal.title or "").casefold(),
}
# The school's comment is shortened to this many characters in the table, the whole text one click away.
COMMENT_LENGTH = 120
# Rows per page: 2,000 rows at once made a 2.3 MB page that took seconds to build and to read.
PAGE_SIZE = 100


@dataclass(frozen=True)
class RankingPage:
    """One page of the sorted rows, and where it is among the others."""

    rows: list[RankingRow]
    page: int
    pages: int
    total: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _page(rows: list[RankingRow], sort: str, number: int) -> RankingPage:
    ordered = sorted(rows, key=SORTS[sort]) if SORTS.get(sort) else rows
    pages = max(1, math.ceil(len(ordered) / PAGE_SIZE))
    number = min(max(number, 1), pages)
    shown = ordered[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    load_shown(shown)
    return RankingPage(shown, number, pages, len(ordered))


@bp.route("/committees/<int:committee_id>/ranking")
@login_required
def ranking_page(committee_id: int):
    return _render(managed_committee(committee_id))


def _render(committee, *, typed=None, quota: QuotaExceeded | None = None, reason_error: str = ""):
    """The page; `typed` is a refused form, shown again as it was typed (with the quota's question)."""
    sort = (typed or request.args).get("sort", "rank")
    if sort not in SORTS:
        sort = "rank"
    rows = ranking(committee)
    positions = {row.proposal.id: position for position, row in enumerate(rows, start=1)}
    number = (typed or request.args).get("page", 1, type=int)
    page = _page(rows, sort, number)
    # Labels translated once for the page, not once per row (2,000 rows made 6,000 gettext calls).
    outcome_choices = [(outcome.value, label(outcome)) for outcome in Outcome]
    # Without variables gettext returns the translated pattern; the template fills in each id.
    row_labels = {
        "position_label": _("Position of #%(id)d"),
        "decision_label": _("Decision on #%(id)d"),
        "waiting_label": _("waiting list %(rank)d"),
    }
    published = committee.decisions_published_at is not None
    return render_template(
        "reviews/staff/ranking.html",
        committee=committee,
        page=page,
        rows=page.rows,
        positions=positions,
        sort=sort,
        outcome_choices=outcome_choices,
        undecided=sum(1 for row in rows if row.decision is None or row.decision.outcome is None),
        opinions=opinions_of([row.proposal.id for row in page.rows]),
        opinion_labels={opinion: str(text) for opinion, text in OPINIONS.items()},
        min_reviews=current_app.config["REVIEW_NORMALISE_MIN_REVIEWS"],
        comment_length=COMMENT_LENGTH,
        referrals=referrals_of(row.proposal.id for row in page.rows),
        typed=typed,
        quota=quota,
        reason_error=reason_error,
        reason_length=REASON_LENGTH,
        override=latest_override(committee),
        contracts=_contracts(committee, rows) if published else None,
        release_choices=_release_choices() if published else [],
        timeline=timeline(committee),
        **row_labels,
    ), (400 if typed is not None else 200)


def _contracts(committee, rows: list[RankingRow]) -> dict:
    """After publication: who holds a contract, who gave one back, who waits, and what is free."""
    listed = [
        row
        for row in rows
        if row.decision is not None
        and row.decision.outcome in (Outcome.funded, Outcome.waiting_list)
        and not isinstance(row.proposal, Proposal)
    ]
    load_shown(listed)
    by_id = {row.proposal.id: row.proposal for row in rows}
    decided = [row.decision for row in rows if row.decision is not None]
    return {
        "holding": [(d, by_id[d.proposal_id]) for d in decided if d.holds_contract],
        "released": [(d, by_id[d.proposal_id]) for d in decided if d.released is not None],
        "waiting": [(d, by_id[d.proposal_id]) for d in waiting_list(committee)],
        "free": free_contracts(committee),
    }


def _release_choices() -> list[tuple[str, str]]:
    return [(release.value, label(release)) for release in ContractRelease]


def _posted_decisions(committee) -> tuple[list[int], dict[int, Outcome | None]]:
    """The order typed in the rank boxes and the outcomes chosen, for the rows of the page posted.

    A typed position goes before the proposal that holds it now; a cleared box goes to the end; the
    proposals of the other pages keep their position and their outcome.
    """
    current = ranking(committee)
    keyed = []
    outcomes: dict[int, Outcome | None] = {}
    for position, row in enumerate(current, start=1):
        pid = row.proposal.id
        if f"rank-{pid}" not in request.form and f"outcome-{pid}" not in request.form:
            keyed.append((position, 1, position, pid))
            continue
        typed = request.form.get(f"rank-{pid}", type=int)
        keyed.append(((typed, 0) if typed and typed > 0 else (len(current) + position, 1)) + (position, pid))
        value = request.form.get(f"outcome-{pid}", "")
        outcomes[pid] = Outcome(value) if value in {o.value for o in Outcome} else None
    return [pid for *_, pid in sorted(keyed)], outcomes


@bp.route("/committees/<int:committee_id>/decisions", methods=["POST"])
@login_required
def decisions(committee_id: int):
    committee = managed_committee(committee_id)
    if request.form.get("action") == "suggest":
        # The funded line as a starting point: funded above it, waiting list below.
        ordered = [row.proposal.id for row in ranking(committee)]
        outcomes = {
            pid: Outcome.funded if position < committee.funded_contracts else Outcome.waiting_list
            for position, pid in enumerate(ordered)
        }
    else:
        ordered, outcomes = _posted_decisions(committee)
    reason = request.form.get("over_quota_reason", "").strip()
    if len(reason) > REASON_LENGTH:
        db.session.rollback()
        quota = QuotaExceeded(
            sum(1 for o in outcomes.values() if o is Outcome.funded), committee.funded_contracts
        )
        error = _("At most %(num)d characters.", num=REASON_LENGTH)
        return _render(committee, typed=request.form, quota=quota, reason_error=error)
    try:
        set_decisions(
            committee=committee,
            ordered_ids=ordered,
            outcomes=outcomes,
            by=current_user,
            over_quota_reason=reason,
        )
    except AlreadyPublished:
        db.session.rollback()
        flash(_("The decisions are published: they can no longer change."), "error")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
    except QuotaExceeded as refused:
        db.session.rollback()
        error = _("Say why, or fund fewer proposals: the reason is kept in the audit log.")
        return _render(committee, typed=request.form, quota=refused, reason_error=error)
    except ReferralMissing as refused:
        db.session.rollback()
        ids = ", ".join(f"#{pid}" for pid in refused.proposal_ids)
        flash(
            _("Refer %(ids)s to another initiative first (Referrals tab), then decide “referred”.", ids=ids),
            "error",
        )
        return _render(committee, typed=request.form)
    db.session.commit()
    flash(_("Order and decisions saved. Nothing is sent until you publish them."), "success")
    # Back to the page and order the decisions were typed in.
    page, sort = request.form.get("page", type=int), request.form.get("sort")
    return redirect(
        url_for("reviews.ranking_page", committee_id=committee.id, page=page, sort=sort, _anchor="decisions")
    )


@bp.route("/committees/<int:committee_id>/decisions/publish", methods=["POST"])
@login_required
def publish(committee_id: int):
    committee = managed_committee(committee_id)
    try:
        count = publish_decisions(
            committee=committee, by=current_user, early=request.form.get("confirm_early") == "y"
        )
    except PublicationTooEarly as refusal:
        db.session.rollback()
        if refusal.reason == "call_open":
            message = _(
                "The call is still open for some proposals (until %(time)s, Paris time): their directors "
                "may still change them. Nothing was published.",
                time=local_datetime(timeline(committee).reviews_start_at),
            )
        else:
            message = _(
                "The review deadline has not passed: tick “Publish before the review deadline” to "
                "publish now. Nothing was published."
            )
        flash(message, "error")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="publish"))
    except DecisionsIncomplete:
        db.session.rollback()
        flash(_("Some proposals have no decision yet: decide them all before publishing."), "error")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="decisions"))
    except QuotaExceeded as refused:
        db.session.rollback()
        flash(
            _(
                "More proposals are funded (%(funded)d) than there are contracts (%(contracts)d): "
                "save the decisions again with a reason first.",
                funded=refused.funded,
                contracts=refused.contracts,
            ),
            "error",
        )
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="decisions"))
    except AlreadyPublished:
        db.session.rollback()
        flash(_("The decisions were published already."), "info")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
    db.session.commit()
    flash(_("Decisions published: %(count)d directors are told by e-mail.", count=count), "success")
    return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
