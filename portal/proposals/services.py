"""Changes to proposals: start, save a draft, submit, reopen, withdraw, restore, extend.

Every change names the version it was based on. A change based on an older version is refused with
`StaleVersion`, which carries what is current, so the caller can show both texts and let the user
merge: nothing anyone typed is overwritten behind their back.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.content import new_content, normalise
from portal.proposals.models import Proposal, ProposalRevision, ProposalState
from portal.proposals.rules import Problem, find_school, submission_problems
from portal.reference.models import Campaign, Initiative

log = logging.getLogger(__name__)

# Saves by the same person within this window update one revision, so autosave keeps history short.
REVISION_WINDOW = timedelta(minutes=10)


class StaleVersion(Exception):
    """The change was based on `base_version`, but the proposal has moved on since."""

    def __init__(self, proposal: Proposal, base_version: int):
        super().__init__(f"proposal {proposal.id}: based on version {base_version}, now {proposal.version}")
        self.proposal = proposal
        self.base_version = base_version


class SubmissionRefused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class NotAllowedNow(Exception):
    """The proposal's state or deadline does not allow this change; the message says why."""


def start_proposal(*, campaign: Campaign, owner: User, content: dict[str, Any] | None = None) -> Proposal:
    """A new draft in `campaign`, its director block filled from the owner's profile."""
    content = normalise(content) if content is not None else new_content(owner)
    proposal = Proposal(campaign=campaign, owner=owner, content=content, last_saved_by=owner)
    _refresh_columns(proposal)
    db.session.add(proposal)
    _record_revision(proposal, author=owner, now=utcnow(), submitted=False, coalesce=False)
    db.session.flush()
    record("proposal.created", actor=owner, obj=proposal, campaign=proposal.campaign.year)
    log.info("proposal %s started by user %s", proposal.id, owner.id)
    return proposal


def save_draft(
    *,
    proposal: Proposal,
    content: dict[str, Any],
    base_version: int,
    author: User,
    restored_from=None,
    merged_with: int | None = None,
) -> bool:
    """Save `content` as the draft; False when it equals what is saved (nothing to do).

    A restore, or a merge with revision `merged_with` (merge_saves.py), starts a revision of its own.
    """
    if proposal.state is not ProposalState.draft:
        raise NotAllowedNow("submitted")
    _check_version(proposal, base_version)
    content = normalise(content)
    if content == proposal.content and restored_from is None:
        return False
    now = utcnow()
    proposal.content = content
    proposal.last_saved_at = now
    proposal.last_saved_by = author
    _refresh_columns(proposal)
    revisions = len(proposal.revisions)
    _record_revision(
        proposal,
        author=author,
        now=now,
        submitted=False,
        coalesce=restored_from is None and merged_with is None,
        restored=restored_from,
        merged_with=merged_with,
    )
    db.session.flush()
    if restored_from is None and merged_with is None and len(proposal.revisions) > revisions:
        # Saves folded into the same revision (autosave) are one event, as in the history.
        record("proposal.saved", actor=author, obj=proposal, revision=proposal.revisions[-1].number)
    return True


def submit(
    *,
    proposal: Proposal,
    content: dict[str, Any] | None,
    base_version: int,
    author: User,
    description_pages: Callable[[str], Any] | None = None,
    now: datetime | None = None,
) -> Proposal:
    """Check the call's rules and freeze the submitted version. A repeated request submits once."""
    now = now or utcnow()
    submitted = proposal.submitted_revision if proposal.state is ProposalState.submitted else None
    if submitted is not None and (content is None or normalise(content) == submitted.content):
        return proposal
    if proposal.state is not ProposalState.draft:
        # Someone else submitted (or withdrew) since this page was loaded: show them the difference.
        _check_version(proposal, base_version)
        raise NotAllowedNow(proposal.state.value)
    if not proposal.is_open_for_changes(now):
        raise NotAllowedNow("closed")
    if content is not None:
        save_draft(proposal=proposal, content=content, base_version=base_version, author=author)
    else:
        _check_version(proposal, base_version)
    problems = submission_problems(
        proposal.content, campaign=proposal.campaign, description_pages=description_pages, now=now
    )
    if problems:
        raise SubmissionRefused(problems)
    proposal.state = ProposalState.submitted
    proposal.submitted_at = now
    _record_revision(proposal, author=author, now=now, submitted=True, coalesce=False)
    db.session.flush()
    record("proposal.submitted", actor=author, obj=proposal, revision=proposal.revisions[-1].number)
    log.info("proposal %s submitted by user %s", proposal.id, author.id)
    return proposal


def reopen(*, proposal: Proposal, author: User, now: datetime | None = None) -> None:
    """Back to draft before the deadline; the submitted version stays on record."""
    from portal.notifications.proposal_notices import notify_reopened  # notifications import proposals

    now = now or utcnow()
    if _leave_for(proposal, ProposalState.draft, author=author, now=now):
        notify_reopened(proposal, by=author, at=now)


def withdraw(*, proposal: Proposal, author: User, now: datetime | None = None) -> None:
    """The director takes the proposal out of the call before the deadline."""
    from portal.notifications.proposal_notices import notify_withdrawn  # notifications import proposals

    now = now or utcnow()
    if _leave_for(proposal, ProposalState.withdrawn, author=author, now=now):
        notify_withdrawn(proposal, by=author, at=now)


def _leave_for(proposal: Proposal, state: ProposalState, *, author: User, now: datetime | None) -> bool:
    """Move to `state`; False when the proposal is there already (a repeated click: no notice)."""
    if proposal.state is state:
        return False
    now = now or utcnow()
    # Until the deadline, even once reviewers are assigned: reviews start only after every
    # deadline of the call (reviews/phases.py), so nothing of theirs is pulled from under them.
    if not proposal.is_open_for_changes(now):
        raise NotAllowedNow("closed")
    proposal.state = state
    proposal.submitted_at = None
    proposal.withdrawn_at = now if state is ProposalState.withdrawn else None
    db.session.flush()
    action = "proposal.withdrawn" if state is ProposalState.withdrawn else "proposal.reopened"
    record(action, actor=author, obj=proposal)
    log.info("proposal %s: %s by user %s", proposal.id, state.value, author.id)
    return True


def restore_revision(
    *, proposal: Proposal, revision: ProposalRevision, base_version: int, author: User
) -> None:
    """Make an earlier revision the draft again, as a new revision (history is never rewritten)."""
    save_draft(
        proposal=proposal,
        content=revision.content,
        base_version=base_version,
        author=author,
        restored_from=revision.number,
    )
    record("proposal.restored", actor=author, obj=proposal, revision=revision.number)


def grant_extension(*, proposal: Proposal, until: datetime, granted_by: User) -> None:
    """Staff let this one proposal be changed and submitted until `until`."""
    from portal.notifications.proposal_notices import notify_extended  # notifications import proposals

    deadline = proposal.deadline
    proposal.extended_until = until
    proposal.extended_by_id = granted_by.id
    db.session.flush()
    record("proposal.extension_granted", actor=granted_by, obj=proposal, until=until)
    log.info("proposal %s extended to %s by user %s", proposal.id, until.isoformat(), granted_by.id)
    if proposal.deadline != deadline:
        # An "extension" before the call's own deadline changes nothing the director would act on.
        notify_extended(proposal, by=granted_by)


def _check_version(proposal: Proposal, base_version: int) -> None:
    if base_version != proposal.version:
        raise StaleVersion(proposal, base_version)


def _refresh_columns(proposal: Proposal) -> None:
    content = proposal.content
    proposal.title = (content.get("title") or "")[:250]
    acronym = content.get("initiative")
    proposal.initiative = (
        db.session.scalar(select(Initiative).where(Initiative.acronym == acronym)) if acronym else None
    )
    school = content["director"].get("doctoral_school")
    proposal.director_school = find_school(school) if school else None


def _record_revision(
    proposal: Proposal,
    *,
    author: User,
    now: datetime,
    submitted: bool,
    coalesce: bool,
    restored=None,
    merged_with: int | None = None,
) -> None:
    last = proposal.revisions[-1] if proposal.revisions else None
    if (
        coalesce
        and last is not None
        and not last.submitted
        and last.author_id == author.id
        and now - last.updated_at < REVISION_WINDOW
    ):
        last.content = proposal.content
        last.updated_at = now
        return
    number = last.number + 1 if last else 1
    proposal.revisions.append(
        ProposalRevision(
            number=number,
            content=proposal.content,
            author=author,
            created_at=now,
            updated_at=now,
            submitted=submitted,
            restored_from=restored,
            merged_with=merged_with,
        )
    )
