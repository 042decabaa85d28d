"""The reviewer's forms: the review form built at run time from the committee's rubric, bids,
conflict declarations and discussion posts."""

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portal.labels import label
from portal.reviews.models import (
    SCALE_VALUES,
    Committee,
    Preference,
    Recommendation,
    Review,
)

COMMENT_LIMIT = 20000

CONFIDENCE_LABELS = {
    1: _l("1 — low: I know little of this field"),
    2: _l("2 — medium"),
    3: _l("3 — high"),
    4: _l("4 — expert: this is my field"),
}


def reviewer_label(value: Any) -> str:
    """The translated name of a review enum value; "Not started" for a missing review."""
    if value is None:
        return str(_l("Not started"))
    return label(value)


def language() -> str:
    locale = get_locale()
    return locale.language if locale else "en"


def mark_field_name(criterion_id: int) -> str:
    return f"mark_{criterion_id}"


class ReviewFormBase(FlaskForm):
    """The fields every review has; the marks are added per committee by `review_form_class`."""

    base_version = HiddenField()
    recommendation = SelectField(
        _l("Overall recommendation"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(value.value, label(value)) for value in Recommendation],
        validators=[Optional()],
    )
    confidence = SelectField(
        _l("Your confidence in this review"),
        choices=[SelectChoice("", "—")]
        + [SelectChoice(str(value), label) for value, label in CONFIDENCE_LABELS.items()],
        validators=[Optional()],
    )
    comments_committee = TextAreaField(
        _l("Comments for the committee"),
        description=_l("Seen by the committee and programme staff only, never by the applicant."),
        validators=[Length(max=COMMENT_LIMIT)],
    )
    comments_applicant = TextAreaField(
        _l("Comments for the applicant"),
        description=_l("Sent to the thesis director with the committee's decision, without your name."),
        validators=[Length(max=COMMENT_LIMIT)],
    )

    committee: Committee

    def mark_fields(self) -> list:
        return [self[mark_field_name(criterion.id)] for criterion in self.committee.criteria]

    def review_data(self) -> dict[str, Any]:
        """What `reviewing.save_review` takes."""
        return {
            "marks": {str(c.id): self[mark_field_name(c.id)].data or "" for c in self.committee.criteria},
            "recommendation": self.recommendation.data or None,
            "confidence": self.confidence.data or None,
            "comments_committee": self.comments_committee.data or "",
            "comments_applicant": self.comments_applicant.data or "",
        }

    def attach_problems(self, problems) -> list:
        """Each problem of `reviewing.review_problems` next to its field; returns those without one."""
        unplaced = []
        for problem in problems:
            name = problem.path.replace("marks.", "mark_", 1)
            field = self._fields.get(name)
            if field is None:
                unplaced.append(problem)
                continue
            field.errors = [*field.errors, problem.message]
        return unplaced


def review_form_class(committee: Committee, lang: str | None = None) -> type[ReviewFormBase]:
    """A form class with one mark per criterion of the committee's rubric, in the reader's language."""
    lang = lang or language()
    attributes: dict[str, Any] = {"committee": committee}
    for criterion in committee.criteria:
        attributes[mark_field_name(criterion.id)] = SelectField(
            criterion.name(lang),
            description=criterion.help(lang),
            choices=[SelectChoice("", "—")]
            + [SelectChoice(mark, mark) for mark, _value in SCALE_VALUES[criterion.scale]],
            validators=[Optional()],
        )
    return type("ReviewForm", (ReviewFormBase,), attributes)


def review_form_data(review: Review | None) -> dict[str, Any]:
    """A saved review as form data (empty when not started)."""
    if review is None:
        return {}
    data = {mark_field_name(int(key)): value for key, value in (review.marks or {}).items() if key.isdigit()}
    data.update(
        recommendation=review.recommendation.value if review.recommendation else "",
        confidence=str(review.confidence) if review.confidence else "",
        comments_committee=review.comments_committee,
        comments_applicant=review.comments_applicant,
    )
    return data


def bid_field_name(proposal_id: int) -> str:
    return f"bid_{proposal_id}"


def bid_form_class(proposal_ids: list[int]) -> type[FlaskForm]:
    """One preference per listed proposal: only proposals the reviewer may see can be bid on."""
    choices = [SelectChoice("", _l("No preference"))] + [
        SelectChoice(value.value, label(value)) for value in Preference
    ]
    attributes = {
        bid_field_name(proposal_id): SelectField(
            _l("Your preference"), choices=choices, validators=[Optional()]
        )
        for proposal_id in proposal_ids
    }
    return type("BidForm", (FlaskForm,), attributes)


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ConflictForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you in conflict with this proposal?"),
        description=_l("Seen by programme staff only. For example: a co-author, the same laboratory."),
        filters=[_strip],
        validators=[DataRequired(message=_l("Give a short reason.")), Length(max=2000)],
    )


class DiscussionForm(FlaskForm):
    body = TextAreaField(
        _l("Your message"),
        filters=[_strip],
        validators=[DataRequired(message=_l("Write a message first.")), Length(max=COMMENT_LIMIT)],
    )
