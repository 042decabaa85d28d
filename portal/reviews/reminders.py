"""Reminders of pending reviews, one service for the committee's page and `flask reviews remind`,
and each reviewer's progress (assigned, drafts, submitted, last reminded)."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.audit.services import record
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.navigation import external_url
from portal.notifications.mail import send_template
from portal.proposals.models import Proposal
from portal.reviews.models import Assignment, Committee, CommitteeMember, Review, ReviewState
from portal.reviews.reviewing import CLOSED_DEADLINE, CLOSED_NOT_STARTED, CLOSED_PUBLISHED, closed_reason
from portal.reviews.services import committee_scope

# Why no reminder can go, by why reviews cannot change now (reviewing.closed_reason): a reminder
# would ask for what the portal refuses. The committee's page and `flask reviews remind` say it.
_NOT_OPEN = {
    CLOSED_NOT_STARTED: _l("the call or an extension of it is still open"),
    CLOSED_DEADLINE: _l("the review deadline has passed"),
    CLOSED_PUBLISHED: _l("the decisions are published"),
}


def reviews_not_open(committee: Committee, now: datetime | None = None) -> str | None:
    """Why nobody can be reminded now, or None while reviews are open."""
    reason = closed_reason(committee, now)
    return None if reason is None else str(_NOT_OPEN[reason])


@dataclass(frozen=True)
class Progress:
    """One member's reviews in the committee."""

    member: CommitteeMember
    assigned: int
    drafts: int
    submitted: int

    @property
    def not_started(self) -> int:
        return self.assigned - self.drafts - self.submitted

    @property
    def pending(self) -> int:
        return self.assigned - self.submitted


def progress(committee: Committee) -> list[Progress]:
    """Every member, by name, with their counts (one query, whatever the size of the committee)."""
    rows = db.session.execute(
        select(Assignment.reviewer_id, Review.state, func.count(Assignment.id))
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .outerjoin(Review, Review.assignment_id == Assignment.id)
        .where(*committee_scope(committee))
        .group_by(Assignment.reviewer_id, Review.state)
    )
    assigned, drafts, submitted = Counter(), Counter(), Counter()
    for reviewer_id, state, count in rows:
        assigned[reviewer_id] += count
        if state is ReviewState.submitted:
            submitted[reviewer_id] += count
        elif state is ReviewState.draft:
            drafts[reviewer_id] += count
    members = sorted(committee.members, key=lambda m: (m.user.last_name.casefold(), m.user.first_name))
    return [Progress(m, assigned[m.user_id], drafts[m.user_id], submitted[m.user_id]) for m in members]


@dataclass(frozen=True)
class Due:
    """A reviewer with reviews still to submit: each proposal with its review (None: not started)."""

    reviewer: User
    pending: list[tuple[Proposal, Review | None]]

    @property
    def proposals(self) -> list[Proposal]:
        return [proposal for proposal, _review in self.pending]


def reminders_due(committee: Committee) -> list[Due]:
    """The reviewers a reminder would go to, by name, each with the reviews they have not submitted."""
    rows = db.session.scalars(
        select(Assignment)
        .join(Proposal, Proposal.id == Assignment.proposal_id)
        .where(*committee_scope(committee))
        .options(
            *(selectinload(link) for link in (Assignment.review, Assignment.proposal, Assignment.reviewer))
        )
        .order_by(Assignment.reviewer_id, Assignment.proposal_id)
    )
    pending: dict[int, Due] = {}
    for assignment in rows:
        review = assignment.review
        if review is None or review.state is not ReviewState.submitted:
            due = pending.setdefault(assignment.reviewer_id, Due(assignment.reviewer, []))
            due.pending.append((assignment.proposal, review))
    return sorted(
        pending.values(), key=lambda due: (due.reviewer.last_name.casefold(), due.reviewer.first_name)
    )


def send_reminders(
    *,
    committee: Committee,
    only: set[int] | None = None,
    shown_at: datetime | None = None,
    now: datetime | None = None,
) -> list[Due]:
    """E-mail (through the outbox) each reviewer with pending reviews, once; returns who was written to.

    `only`: the reviewers a member of staff confirmed, so that nobody they did not see is written
    to. `shown_at`: when they saw the list; whoever was reminded since (the button pressed twice,
    a colleague) is not written to again.
    """
    now = now or utcnow()
    members = {member.user_id: member for member in committee.members}
    sent = []
    for due in reminders_due(committee):
        reviewer = due.reviewer
        member = members.get(reviewer.id)
        if only is not None and reviewer.id not in only:
            continue
        if (
            shown_at is not None
            and member is not None
            and member.reminded_at
            and member.reminded_at >= shown_at
        ):
            continue
        send_template(
            to=reviewer.email,
            template="review_reminder",
            locale=reviewer.locale,
            reviewer=reviewer,
            committee=committee,
            proposals=due.proposals,
            url=external_url("reviews.reviewer_index"),
        )
        if member is not None:
            member.reminded_at = now
        sent.append(due)
    db.session.flush()
    if sent:
        record(
            "reviews.reminded",
            obj=committee,
            committee=str(committee),
            reminded=len(sent),
            reviewers=[due.reviewer.email for due in sent],
        )
    return sent
