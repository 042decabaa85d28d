"""Reviewers' letters and how each reader sees a reviewer.

Every committee member gets a letter on each proposal they are assigned to or post on: the rank of
their `ReviewerAlias` row among the proposal's rows, so the first is "Reviewer A". Rows are
written by the database events below, whichever module creates the assignment or the message,
and never deleted: a letter stays the same whatever the page, the order of the reviews, later
assignments or an assignment withdrawn.

An anonymous committee shows its members only letters ("Reviewer B (you)" for their own);
managers and the chair read the letter and the name. Directors only ever read letters
(summaries.py), anonymous committee or not.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.dialects import postgresql, sqlite

from portal.audit.services import record
from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import (
    Assignment,
    Committee,
    CommitteeMember,
    DiscussionPost,
    ReviewerAlias,
)
from portal.reviews.permissions import manages, membership

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def letter(rank: int) -> str:
    """1 → A, 26 → Z, 27 → AA: a committee can outgrow the alphabet on a crowded proposal."""
    text = ""
    while rank > 0:
        rank, rest = divmod(rank - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


def letter_order(letter_text: str | None) -> tuple[bool, int, str]:
    """A sort key: by letter (Z before AA), people without one last."""
    return (letter_text is None, len(letter_text or ""), letter_text or "")


def _give_letter(connection, proposal_id: int, user_id: int) -> None:
    # Two first posts of one member at once must not fail one of the requests: the second
    # insert finds the row and does nothing.
    statement = _INSERTS[connection.dialect.name](ReviewerAlias).values(
        proposal_id=proposal_id, user_id=user_id
    )
    connection.execute(statement.on_conflict_do_nothing(index_elements=["proposal_id", "user_id"]))


@event.listens_for(Assignment, "after_insert")
def _assigned(_mapper, connection, assignment: Assignment) -> None:
    _give_letter(connection, assignment.proposal_id, assignment.reviewer_id)


@event.listens_for(DiscussionPost, "after_insert")
def _posted(_mapper, connection, post: DiscussionPost) -> None:
    """A member who posts without being assigned gets a letter too; programme staff who are not
    members are no reviewers and keep their names."""
    if post.author_id is None:
        return
    member = connection.scalar(
        select(CommitteeMember.id)
        .join(Committee, CommitteeMember.committee_id == Committee.id)
        .join(
            Proposal,
            (Proposal.campaign_id == Committee.campaign_id)
            & (Proposal.initiative_id == Committee.initiative_id),
        )
        .where(Proposal.id == post.proposal_id, CommitteeMember.user_id == post.author_id)
    )
    if member is not None:
        _give_letter(connection, post.proposal_id, post.author_id)


def letters_of(proposal_id: int) -> dict[int, str]:
    """user id → letter on this proposal, in one query."""
    rows = db.session.execute(
        select(ReviewerAlias.user_id)
        .where(ReviewerAlias.proposal_id == proposal_id)
        .order_by(ReviewerAlias.id)
    )
    return {user_id: letter(rank) for rank, (user_id,) in enumerate(rows, start=1) if user_id is not None}


def reviewer_label(letter_text: str | None) -> str:
    return _("Reviewer %(letter)s", letter=letter_text) if letter_text else _("A reviewer")


def sees_names(user: User, committee: Committee) -> bool:
    """Managers and the chair always; the other members unless the committee is anonymous."""
    if not committee.anonymous_reviewers or manages(user, committee):
        return True
    member = membership(user, committee)
    return member is not None and member.is_chair


@dataclass(frozen=True)
class ReviewerNames:
    """How one reader sees the reviewers and authors of messages on one proposal."""

    committee: Committee
    letters: dict[int, str]
    names_shown: bool
    reader_id: int | None

    def rank(self, user_id: int) -> tuple[bool, int, str]:
        return letter_order(self.letters.get(user_id))

    def of(self, user: User | None) -> str:
        if user is None:
            return _("Former member")
        letter_text = self.letters.get(user.id)
        if letter_text is None:
            # Programme staff who are not members write in the discussion under their names.
            if manages(user, self.committee):
                return _("%(name)s, programme", name=user.display_name)
            if self.names_shown:
                return user.display_name
        label = reviewer_label(letter_text)
        if self.names_shown:
            return f"{label} · {user.display_name}"
        if user.id == self.reader_id:
            return _("%(reviewer)s (you)", reviewer=label)
        return label


def reviewer_names(user: User, proposal: Proposal, committee: Committee) -> ReviewerNames:
    return ReviewerNames(
        committee=committee,
        letters=letters_of(proposal.id),
        names_shown=sees_names(user, committee),
        reader_id=user.id if user.is_authenticated else None,
    )


def set_privacy(*, committee: Committee, anonymous: bool, directors_see_comments: bool, by: User) -> None:
    """What the committee shows of its reviewers, to each other and to the directors; audited when
    it changes."""
    before = {
        "anonymous_reviewers": committee.anonymous_reviewers,
        "directors_see_comments": committee.directors_see_comments,
    }
    after = {"anonymous_reviewers": anonymous, "directors_see_comments": directors_see_comments}
    if before == after:
        return
    committee.anonymous_reviewers, committee.directors_see_comments = anonymous, directors_see_comments
    db.session.flush()
    record(
        "committee.privacy_changed",
        actor=by,
        obj=committee,
        **{name: value for name, value in after.items() if before[name] != value},
    )
