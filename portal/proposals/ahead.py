"""Renders ahead of time: once a saved draft's text has been measured, a low-priority task on the
bulk queue renders and stores that draft's PDF, so that its download finds it ready.

At most one is pending per proposal (a task record keyed by the proposal): saves made while it
waits change nothing, since the task renders the draft as it is when it runs.
"""

from datetime import timedelta

from portal.extensions import db
from portal.proposals.measures import key_of as measure_key_of
from portal.proposals.measures import look_up
from portal.proposals.models import Proposal, ProposalState
from portal.tasks import BULK, publish, records

RENDER_AHEAD = "proposals.render_ahead"
STALE_AFTER = timedelta(minutes=10)


def after_save(proposal: Proposal) -> None:
    """Called once the save is committed: queued when the saved text is measured already."""
    text = proposal.content.get("description") or ""
    if proposal.state is ProposalState.draft and look_up(measure_key_of(proposal, text), db.session).measure:
        _queue(proposal)


def after_measure(proposal: Proposal, text: str) -> None:
    """A measure task just stored the measure of `text`: the saved draft's, perhaps."""
    if proposal.state is ProposalState.draft and (proposal.content.get("description") or "") == text:
        _queue(proposal)


def _queue(proposal: Proposal) -> None:
    if records.to_queue(RENDER_AHEAD, [str(proposal.id)], stale_after=STALE_AFTER):
        publish(RENDER_AHEAD, proposal.id, queue=BULK)
