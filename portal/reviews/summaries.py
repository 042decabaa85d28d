"""The chair's summary of a proposal's reviews, and what its director reads of the committee.

Who writes: programme staff of the initiative, administrators and the committee's chair (not in
conflict with the proposal), until the decisions are published: then the director has it.
Who reads: the writers, and the members who may read the other reviews of the proposal
(`can_see_other_reviews`): the summary is made of those reviews, so a reviewer who has not
submitted their own yet (or in a committee that shows no reviews) does not read it either.
The doctoral school never does, nor the director before publication.

The director reads, once the decisions are published, the summary first, then, when the
committee chose so, the reviewers' comments for them under their letters ("Reviewer A"): never a
name, a score or a comment for the committee.
"""

from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import select

from portal.audit.services import record
from portal.auth.models import User
from portal.documents.short_markdown import render_short
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.anonymity import letter_order, letters_of, reviewer_label
from portal.reviews.models import ChairSummary, Committee, Review, ReviewState
from portal.reviews.permissions import (
    assignment_of,
    can_see_other_reviews,
    manages,
    membership,
    on_committee_side,
)

SUMMARY_MAX_CHARS = 5000


class SummaryClosed(Exception):
    """The decisions are published: the director has the summary as it was."""


def can_write_summary(user: User, proposal: Proposal, committee: Committee) -> bool:
    if not on_committee_side(user, proposal, committee):
        return False
    if manages(user, committee):
        return True
    member = membership(user, committee)
    return member is not None and member.is_chair


def chair_waits_for_own_review(user: User, proposal: Proposal, committee: Committee) -> bool:
    """A chair who reviews the proposal too reads the others' reviews only after submitting theirs,
    as every reviewer does: until then the summary page holds neither the reviews nor the form."""
    if manages(user, committee):
        return False
    own = assignment_of(user, proposal)
    return own is not None and (own.review is None or own.review.state is not ReviewState.submitted)


def can_read_summary(user: User, proposal: Proposal, committee: Committee) -> bool:
    return can_write_summary(user, proposal, committee) or can_see_other_reviews(user, proposal, committee)


def summary_of(proposal: Proposal) -> ChairSummary | None:
    return db.session.scalar(select(ChairSummary).where(ChairSummary.proposal_id == proposal.id))


def save_summary(*, proposal: Proposal, committee: Committee, body: str, by: User) -> ChairSummary | None:
    """Write, change or (with an empty text) remove the summary; refused once decisions are out."""
    if committee.decisions_published_at is not None:
        raise SummaryClosed(str(committee))
    body = body.strip()
    if len(body) > SUMMARY_MAX_CHARS:
        raise ValueError("summary too long")
    summary = summary_of(proposal)
    if not body:
        if summary is not None:
            db.session.delete(summary)
            db.session.flush()
            record("summary.removed", actor=by, obj=proposal)
        return None
    if summary is None:
        summary = ChairSummary(proposal_id=proposal.id, body=body, updated_by_id=by.id)
        db.session.add(summary)
    elif summary.body == body:
        return summary
    summary.body, summary.updated_by_id = body, by.id
    db.session.flush()
    record("summary.saved", actor=by, obj=proposal, characters=len(body))
    return summary


@dataclass(frozen=True)
class LetteredComment:
    letter: str | None
    text: str

    @property
    def reviewer(self) -> str:
        """ "Reviewer A", in the language of the page or e-mail being written."""
        return reviewer_label(self.letter)

    def __str__(self) -> str:
        return f"{self.reviewer} — {self.text}"


@dataclass(frozen=True)
class ForDirector:
    """What the director reads of the committee's work on their proposal."""

    summary: str  # Markdown source; empty when none was written
    comments: list[LetteredComment]

    @property
    def summary_html(self) -> Markup:
        return render_short(self.summary) if self.summary else Markup("")


def for_director(proposal: Proposal, committee: Committee) -> ForDirector:
    """The summary, then (when the committee shows them) the submitted reviews' comments for the
    director, in the order of their letters."""
    summary = summary_of(proposal)
    comments: list[LetteredComment] = []
    if committee.directors_see_comments:
        letters = letters_of(proposal.id)
        rows = db.session.execute(
            select(Review.reviewer_id, Review.comments_applicant)
            .where(Review.proposal_id == proposal.id, Review.counted)
            .order_by(Review.id)
        )
        found = [(letters.get(reviewer_id), text) for reviewer_id, text in rows if text and text.strip()]
        found.sort(key=lambda pair: letter_order(pair[0]))
        comments = [LetteredComment(letter, text.strip()) for letter, text in found]
    return ForDirector(summary=summary.body if summary is not None else "", comments=comments)
