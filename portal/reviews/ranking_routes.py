"""The ranking of a committee's proposals, the final order and decisions, and their publication."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.extensions import db
from portal.reviews import bp
from portal.reviews.decisions import AlreadyPublished, DecisionsIncomplete, publish_decisions, set_decisions
from portal.reviews.models import Outcome
from portal.reviews.permissions import managed_committee
from portal.reviews.ranking import RankingRow, ranking

# Sort keys of the ranking table (?sort=…); "rank" is the committee's order, the default.
SORTS = {
    "rank": None,
    "total": lambda row: (row.total is None, -(row.total or 0.0)),
    "spread": lambda row: (row.spread is None, -(row.spread or 0.0)),
    "reviews": lambda row: -row.reviews,
    "title": lambda row: (row.proposal.title or "").casefold(),
}


def _rows(committee, normalise: bool, sort: str) -> tuple[list[RankingRow], dict[int, int]]:
    rows = ranking(committee, normalise=normalise)
    positions = {row.proposal.id: position for position, row in enumerate(rows, start=1)}
    if SORTS.get(sort):
        rows = sorted(rows, key=SORTS[sort])
    return rows, positions


@bp.route("/committees/<int:committee_id>/ranking")
@login_required
def ranking_page(committee_id: int):
    committee = managed_committee(committee_id)
    normalise = request.args.get("normalise") == "1"
    sort = request.args.get("sort", "rank")
    if sort not in SORTS:
        sort = "rank"
    rows, positions = _rows(committee, normalise, sort)
    return render_template(
        "reviews/staff/ranking.html",
        committee=committee,
        rows=rows,
        positions=positions,
        normalise=normalise,
        sort=sort,
        outcomes=list(Outcome),
        undecided=[row for row in rows if row.decision is None or row.decision.outcome is None],
        opinions=opinions_of([row.proposal.id for row in rows]),
        opinion_labels=OPINIONS,
    )


def _posted_decisions(committee) -> tuple[list[int], dict[int, Outcome | None]]:
    """The order typed in the rank boxes (ties and blanks keep the current order) and the outcomes."""
    current = ranking(committee)
    keyed = []
    outcomes: dict[int, Outcome | None] = {}
    for position, row in enumerate(current, start=1):
        pid = row.proposal.id
        typed = request.form.get(f"rank-{pid}", type=int)
        keyed.append(((typed if typed and typed > 0 else len(current) + position), position, pid))
        value = request.form.get(f"outcome-{pid}", "")
        outcomes[pid] = Outcome(value) if value in {o.value for o in Outcome} else None
    return [pid for _, _, pid in sorted(keyed)], outcomes


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
    try:
        set_decisions(committee=committee, ordered_ids=ordered, outcomes=outcomes, by=current_user)
    except AlreadyPublished:
        db.session.rollback()
        flash(_("The decisions are published: they can no longer change."), "error")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
    db.session.commit()
    flash(_("Order and decisions saved. Nothing is sent until you publish them."), "success")
    return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="decisions"))


@bp.route("/committees/<int:committee_id>/decisions/publish", methods=["POST"])
@login_required
def publish(committee_id: int):
    committee = managed_committee(committee_id)
    try:
        count = publish_decisions(committee=committee, by=current_user)
    except DecisionsIncomplete:
        db.session.rollback()
        flash(_("Some proposals have no decision yet: decide them all before publishing."), "error")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id, _anchor="decisions"))
    except AlreadyPublished:
        db.session.rollback()
        flash(_("The decisions were published already."), "info")
        return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
    db.session.commit()
    flash(_("Decisions published: %(count)d directors are told by e-mail.", count=count), "success")
    return redirect(url_for("reviews.ranking_page", committee_id=committee.id))
