"""Committee review: committees and their members, rubrics, conflicts, bids, assignments, reviews,
discussion and decisions. One committee per campaign and initiative."""

import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint, and_
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.db import TimestampMixin, UTCDateTime, utcnow
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import Campaign, Initiative


def _enum(enum_class, name: str):
    return Enum(enum_class, name=name, native_enum=False, length=24)


class ReviewVisibility(enum.Enum):
    """When a reviewer sees the other reviews of a proposal (HotCRP's default: after their own)."""

    after_own = "after_own"
    always = "always"
    never = "never"


class Committee(TimestampMixin, db.Model):
    __tablename__ = "committees"
    __table_args__ = (
        UniqueConstraint("campaign_id", "initiative_id"),
        CheckConstraint("funded_contracts >= 0", name="funded_contracts_positive"),
        CheckConstraint("bidding_closes_at > bidding_opens_at", name="bidding_closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    review_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Members state their preferences between these (phases.py); unset, bidding is not open.
    bidding_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    bidding_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    visibility: Mapped[ReviewVisibility] = mapped_column(
        _enum(ReviewVisibility, "review_visibility"), default=ReviewVisibility.after_own
    )
    # How many doctoral contracts the initiative funds in this campaign: the "funded line".
    funded_contracts: Mapped[int] = mapped_column(default=0)
    decisions_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Reviewers read each other as "Reviewer A", "Reviewer B" (anonymity.py); managers and the
    # chair still see the names, and directors never do, whatever this says.
    anonymous_reviewers: Mapped[bool] = mapped_column(default=False)
    # Directors read the reviewers' comments for them beside the chair's summary (summaries.py).
    directors_see_comments: Mapped[bool] = mapped_column(default=True)

    campaign: Mapped[Campaign] = relationship(lazy="joined")
    initiative: Mapped[Initiative] = relationship(lazy="joined")
    members: Mapped[list["CommitteeMember"]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", order_by="CommitteeMember.id"
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="committee", cascade="all, delete-orphan", order_by="Criterion.position"
    )

    def __str__(self) -> str:
        return f"{self.initiative.acronym} – {self.campaign.name}"


class CommitteeMember(db.Model):
    __tablename__ = "committee_members"
    __table_args__ = (UniqueConstraint("committee_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)
    max_load: Mapped[int | None]
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When they were last e-mailed about their pending reviews (reviews/reminders.py).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    committee: Mapped[Committee] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class Scale(enum.Enum):
    """The values a criterion takes; letters map to numbers for the totals."""

    one_to_five = "1-5"
    one_to_ten = "1-10"
    a_to_d = "A-D"


SCALE_VALUES: dict[Scale, list[tuple[str, float]]] = {
    Scale.one_to_five: [(str(n), float(n)) for n in range(1, 6)],
    Scale.one_to_ten: [(str(n), float(n)) for n in range(1, 11)],
    Scale.a_to_d: [("A", 4.0), ("B", 3.0), ("C", 2.0), ("D", 1.0)],
}


class Criterion(db.Model):
    """One line of a committee's rubric. Once reviews exist the rubric is frozen (services)."""

    __tablename__ = "criteria"
    __table_args__ = (CheckConstraint("weight >= 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name_fr: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150))
    help_fr: Mapped[str] = mapped_column(Text, default="")
    help_en: Mapped[str] = mapped_column(Text, default="")
    scale: Mapped[Scale] = mapped_column(_enum(Scale, "criterion_scale"), default=Scale.one_to_five)
    weight: Mapped[float] = mapped_column(default=1.0)
    # Shown to the committee but left out of the weighted total.
    counts: Mapped[bool] = mapped_column(default=True)

    committee: Mapped[Committee] = relationship(back_populates="criteria")

    def name(self, language: str) -> str:
        return self.name_fr if language == "fr" else self.name_en

    def help(self, language: str) -> str:
        return self.help_fr if language == "fr" else self.help_en

    def value_of(self, mark: str | None) -> float | None:
        return dict(SCALE_VALUES[self.scale]).get(mark) if mark is not None else None


class ConflictSource(enum.Enum):
    declared = "declared"  # by the reviewer
    staff = "staff"  # set by programme staff


class DeclaredConflict(db.Model):
    """A conflict stated by the reviewer or set by staff; detected ones are computed (conflicts.py)."""

    __tablename__ = "declared_conflicts"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source: Mapped[ConflictSource] = mapped_column(_enum(ConflictSource, "conflict_source"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ConflictVerdict(enum.Enum):
    confirmed = "confirmed"
    waived = "waived"


class ConflictRuling(db.Model):
    """Staff's decision on a detected conflict, which is only suspected until then: confirmed (it
    blocks) or waived (it no longer does), with the reason. It covers the rules that matched when it
    was made (`kinds`): a rule that starts matching later makes the pair suspected again."""

    __tablename__ = "conflict_rulings"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    verdict: Mapped[ConflictVerdict] = mapped_column(_enum(ConflictVerdict, "conflict_verdict"))
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class Preference(enum.Enum):
    eager = "eager"
    willing = "willing"
    not_willing = "not_willing"


class Bid(db.Model):
    __tablename__ = "bids"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    preference: Mapped[Preference] = mapped_column(_enum(Preference, "bid_preference"))


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    # No delete-orphan: a review set aside when a conflict withdraws the assignment outlives it
    # (services.withdraw_assignment); deleting an assignment still deletes the review it holds.
    review: Mapped["Review | None"] = relationship(back_populates="assignment", cascade="all")


class Recommendation(enum.Enum):
    strong_accept = "strong_accept"
    accept = "accept"
    weak_accept = "weak_accept"
    reject = "reject"


class ReviewState(enum.Enum):
    draft = "draft"
    submitted = "submitted"


class Review(TimestampMixin, db.Model):
    """One reviewer's review of one proposal. A conflict found after it was written withdraws the
    assignment and sets the review aside (`withdrawn_at`, the assignment gone): kept for programme
    staff, counted nowhere (`counted`)."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("(state = 'submitted') = (submitted_at IS NOT NULL)", name="submitted_has_time"),
        CheckConstraint("(assignment_id IS NULL) = (withdrawn_at IS NOT NULL)", name="withdrawn_unassigned"),
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 1 AND confidence <= 4)", name="confidence_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    # The assignment's pair, kept on the review so that a review set aside still says whose it is.
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    state: Mapped[ReviewState] = mapped_column(_enum(ReviewState, "review_state"), default=ReviewState.draft)
    version: Mapped[int] = mapped_column(default=1)
    # criterion id (as text) -> the mark on its scale ("4", "B").
    marks: Mapped[dict] = mapped_column(JSON, default=dict)
    recommendation: Mapped[Recommendation | None] = mapped_column(_enum(Recommendation, "recommendation"))
    confidence: Mapped[int | None]
    comments_committee: Mapped[str] = mapped_column(Text, default="")
    comments_applicant: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignment: Mapped[Assignment | None] = relationship(back_populates="review")
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])

    @hybrid_property
    def counted(self) -> bool:
        """The reviews that count: submitted and not set aside. Every reader of scores, comments
        and numbers of reviews asks this, in Python or in a query's WHERE."""
        return self.state is ReviewState.submitted and self.withdrawn_at is None

    @counted.inplace.expression
    @classmethod
    def _counted_expression(cls):
        return and_(cls.state == ReviewState.submitted, cls.withdrawn_at.is_(None))

    __mapper_args__ = {"version_id_col": version}


class DiscussionPost(db.Model):
    __tablename__ = "discussion_posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship()


class Outcome(enum.Enum):
    funded = "funded"
    waiting_list = "waiting_list"
    not_funded = "not_funded"
    # Not funded here: passed to another initiative of the call (referrals.py).
    referred = "referred"


class ContractRelease(enum.Enum):
    """Why a funded proposal gave its contract back, which then goes to the waiting list."""

    declined = "declined"  # the director declined the contract
    withdrawn = "withdrawn"  # the proposal was withdrawn


class Decision(db.Model):
    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
        CheckConstraint("waiting_rank IS NULL OR waiting_rank >= 1", name="waiting_rank_positive"),
        CheckConstraint("released IS NULL OR outcome = 'funded'", name="released_was_funded"),
        CheckConstraint("(released IS NULL) = (released_at IS NULL)", name="released_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    rank: Mapped[int | None]
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome, "decision_outcome"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Place on the waiting list (1 = first), set with the decisions and kept once offered a contract.
    waiting_rank: Mapped[int | None]
    # A funded proposal whose contract was given back after publication: it leaves the quota.
    released: Mapped[ContractRelease | None] = mapped_column(_enum(ContractRelease, "contract_release"))
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a contract given back was offered to this proposal, from the waiting list.
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()

    @property
    def holds_contract(self) -> bool:
        """Funded and not given back: counts against the committee's contracts."""
        return self.outcome is Outcome.funded and self.released is None


class QuotaOverride(db.Model):
    """Staff confirmed funding more proposals than the committee has contracts, and said why."""

    __tablename__ = "quota_overrides"
    __table_args__ = (CheckConstraint("funded >= 1", name="funded_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committees.id", ondelete="CASCADE"), index=True)
    # How many funded decisions this confirmation allows.
    funded: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReferralOutcome(enum.Enum):
    """What the initiative a proposal was referred to made of it."""

    taken_up = "taken_up"
    not_taken_up = "not_taken_up"


class Referral(db.Model):
    """Programme staff passed a proposal to another initiative of the same call, with a comment."""

    __tablename__ = "referrals"
    __table_args__ = (
        UniqueConstraint("proposal_id", "initiative_id"),
        CheckConstraint("(outcome IS NULL) = (outcome_at IS NULL)", name="outcome_has_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    # The initiative the proposal is referred to (its own is the proposal's).
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(Text)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    outcome: Mapped[ReferralOutcome | None] = mapped_column(_enum(ReferralOutcome, "referral_outcome"))
    outcome_comment: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    initiative: Mapped[Initiative] = relationship(lazy="joined")
    referred_by: Mapped[User | None] = relationship(foreign_keys=[referred_by_id])
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])


class ReviewerAlias(db.Model):
    """The letter of a committee member on one proposal: the rank of this row's id among the
    proposal's rows ("Reviewer A" is the first). Written when the member is first assigned to the
    proposal or first posts on it (anonymity.py), never deleted, so a letter never changes."""

    __tablename__ = "reviewer_aliases"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    # Kept, without its user, when an account is deleted: the letters after it must not move.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ChairSummary(TimestampMixin, db.Model):
    """The chair's summary of a proposal's reviews, for its director (a meta-review, Markdown)."""

    __tablename__ = "chair_summaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    updated_by: Mapped[User | None] = relationship()
