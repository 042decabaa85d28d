"""The review page of one assignment: the form, the saved version after a stale save, the problems
of an incomplete submission, the other reviews when the committee shows them."""

from typing import Any

from flask import render_template
from flask_login import current_user

from portal.dashboards.opinions import OPINIONS, opinions_of
from portal.proposals.diff import FieldChange
from portal.proposals.models import Proposal
from portal.reviews.anonymity import reviewer_names
from portal.reviews.models import Assignment, Committee, ReviewState
from portal.reviews.permissions import can_see_other_reviews
from portal.reviews.phases import timeline
from portal.reviews.reviewer_forms import (
    CONFIDENCE_LABELS,
    ConflictForm,
    ReviewFormBase,
    language,
    mark_field_name,
    review_form_class,
    review_form_data,
)
from portal.reviews.reviewer_lists import other_reviews
from portal.reviews.reviewing import closed_reason


def is_open(committee: Committee) -> bool:
    return closed_reason(committee) is None


def _shown(form: ReviewFormBase, name: str, value: str) -> str:
    """A field value as the reader sees it: the option's label rather than its code."""
    if not value:
        return ""
    choices = getattr(form[name], "choices", None) or []
    return str({choice.value: choice.label for choice in choices}.get(value, value))


def _changes(form: ReviewFormBase, saved: dict[str, Any]) -> list[FieldChange]:
    names = [mark_field_name(c.id) for c in form.committee.criteria]
    names += ["recommendation", "confidence", "comments_committee", "comments_applicant"]
    found = []
    for name in names:
        before, after = str(saved.get(name) or ""), str(form[name].data or "")
        if before.strip() != after.strip():
            found.append(
                FieldChange(
                    name, str(form[name].label.text), _shown(form, name, before), _shown(form, name, after)
                )
            )
    return found


class ReviewPage:
    """The review page, for one request."""

    def __init__(self, proposal: Proposal, assignment: Assignment, committee: Committee):
        self.proposal = proposal
        self.assignment = assignment
        self.committee = committee
        self.form_class = review_form_class(committee, language())
        self.form: ReviewFormBase | None = None
        self.conflict_changes: list[FieldChange] | None = None
        self.problems: list = []
        self.unplaced: list = []
        # Set when a save was refused: why (reviewing.CLOSED_*).
        self.closed_message: str | None = None

    @property
    def review(self):
        return self.assignment.review

    def version(self) -> int:
        return self.review.version if self.review is not None else 1

    def saved_form(self) -> "ReviewPage":
        self.form = self.form_class(formdata=None, data=review_form_data(self.review))
        self.form.base_version.data = str(self.version())
        return self

    def posted_form(self) -> "ReviewPage":
        self.form = self.form_class()
        return self

    def base_version(self) -> int:
        try:
            return int(self.form.base_version.data or 0)
        except ValueError:
            return 0

    def conflict(self) -> "ReviewPage":
        """Saved meanwhile (another tab): keep what was typed, show the saved version beside it."""
        self.conflict_changes = _changes(self.form, review_form_data(self.review))
        self.form.base_version.data = str(self.version())
        return self

    def refused(self, problems) -> "ReviewPage":
        self.problems = problems
        self.unplaced = self.form.attach_problems(problems)
        self.form.base_version.data = str(self.version())
        return self

    def render(self) -> str:
        reason = closed_reason(self.committee)
        open_now = reason is None
        visible = can_see_other_reviews(current_user, self.proposal, self.committee)
        others, unfinished = other_reviews(self.proposal, current_user) if visible else ([], 0)
        return render_template(
            "reviews/reviewer/review.html",
            proposal=self.proposal,
            committee=self.committee,
            review=self.review,
            form=self.form if open_now else None,
            is_open=open_now,
            submitted=self.review is not None and self.review.state is ReviewState.submitted,
            conflict_changes=self.conflict_changes,
            problems=self.problems,
            unplaced=self.unplaced,
            closed_message=self.closed_message,
            closed_reason=reason,
            timeline=timeline(self.committee),
            can_see_others=visible,
            others=others,
            unfinished=unfinished,
            language=language(),
            confidence_labels=CONFIDENCE_LABELS,
            conflict_form=ConflictForm(),
            opinion=opinions_of([self.proposal.id]).get(self.proposal.id),
            opinion_labels=OPINIONS,
            names=reviewer_names(current_user, self.proposal, self.committee),
        )
