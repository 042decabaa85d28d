"""Forms of the committee administration: settings, members, rubric, assignment, conflicts."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    FloatField,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from portal.auth.services import find_user
from portal.labels import choices
from portal.reviews.models import ReviewVisibility, Scale
from portal.reviews.rubric import CriterionRow
from portal.timezones import paris_to_utc


def _choices(enum_class) -> list[SelectChoice]:
    return choices(enum_class)


# How far after the call the committee's dates may go: a typo of a year is caught where it is typed.
DATES_WITHIN = timedelta(days=2 * 365)


class SettingsForm(FlaskForm):
    """The committee's settings; the dates are bounded by the call's (`call_opens_at`, and
    `reviews_start_at`, when the call and its extensions close), set by the route."""

    bidding_opens_at = DateTimeLocalField(
        _l("Bidding opens (Paris time)"),
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Members state which proposals they would like to review between these two dates."),
    )
    bidding_closes_at = DateTimeLocalField(
        _l("Bidding closes (Paris time)"),
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l("Leave both empty while the dates are not known: bidding is then not open."),
    )
    review_deadline = DateTimeLocalField(
        _l("Review deadline (Paris time)"),
        validators=[Optional()],
        format="%Y-%m-%dT%H:%M",
        description=_l(
            "Reviews start once the call and every extension have closed; reviewers can change their "
            "reviews until this deadline. Leave empty for no deadline."
        ),
    )
    visibility = SelectField(
        _l("Reviewers see the other reviews of a proposal"),
        choices=_choices(ReviewVisibility),
        coerce=ReviewVisibility,
    )
    funded_contracts = IntegerField(
        _l("Number of funded doctoral contracts"),
        validators=[InputRequired(), NumberRange(min=0, max=500)],
        description=_l("Where the funded line falls in the ranking."),
    )
    submit = SubmitField(_l("Save the settings"))

    call_opens_at = reviews_start_at = None

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        opens, closes = (
            paris_to_utc(f.data) if f.data else None for f in (self.bidding_opens_at, self.bidding_closes_at)
        )
        deadline = paris_to_utc(self.review_deadline.data) if self.review_deadline.data else None
        call_opens, reviews_start = self.call_opens_at, self.reviews_start_at
        latest = reviews_start + DATES_WITHIN
        problems = []
        if (opens is None) != (closes is None):
            missing = self.bidding_closes_at if closes is None else self.bidding_opens_at
            problems.append((missing, _l("Give both bidding dates, or neither.")))
        if opens is not None and not call_opens <= opens <= latest:
            problems.append(
                (
                    self.bidding_opens_at,
                    _l("Bidding opens once the call has opened, and within two years of its close."),
                )
            )
        if opens is not None and closes is not None and closes <= opens:
            problems.append((self.bidding_closes_at, _l("Bidding must close after it opens.")))
        elif closes is not None and not closes <= (deadline or latest):
            problems.append(
                (
                    self.bidding_closes_at,
                    _l(
                        "Bidding must close by the review deadline, and within two years of the call's close."
                    ),
                )
            )
        if deadline is not None and not reviews_start < deadline <= latest:
            problems.append(
                (
                    self.review_deadline,
                    _l(
                        "The review deadline falls after the call and its extensions close (reviews start "
                        "then), and within two years."
                    ),
                )
            )
        for field, message in problems:
            field.errors.append(message)
        return valid and not problems


class MemberForm(FlaskForm):
    """Add someone with an account, or invite someone without one (then the names are needed)."""

    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    first_name = StringField(
        _l("First name"),
        validators=[Optional(), Length(max=100)],
        description=_l("Only for someone without an account: they receive an invitation."),
    )
    last_name = StringField(_l("Last name"), validators=[Optional(), Length(max=100)])
    is_chair = BooleanField(_l("Chair of the committee"))
    max_load = IntegerField(
        _l("Maximum number of proposals"),
        validators=[Optional(), NumberRange(min=1, max=200)],
        description=_l("Leave empty for no limit."),
    )
    submit = SubmitField(_l("Add to the committee"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        names = (self.first_name.data or "").strip() and (self.last_name.data or "").strip()
        if not names and find_user(self.email.data) is None:
            self.first_name.errors.append(
                _l("No account uses this address: give a first and last name to invite this person.")
            )
            return False
        return True


class MemberUpdateForm(FlaskForm):
    is_chair = BooleanField(_l("Chair"))
    max_load = IntegerField(_l("Maximum load"), validators=[Optional(), NumberRange(min=1, max=200)])
    submit = SubmitField(_l("Save"))


class CriterionForm(Form):
    """One line of the rubric (a sub-form: the CSRF token belongs to the rubric form)."""

    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=150)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=150)])
    help_fr = TextAreaField(_l("Help in French"), validators=[Length(max=2000)])
    help_en = TextAreaField(_l("Help in English"), validators=[Length(max=2000)])
    scale = SelectField(_l("Scale"), choices=_choices(Scale), coerce=Scale, default=Scale.one_to_five)
    weight = FloatField(_l("Weight"), validators=[InputRequired(), NumberRange(min=0, max=100)], default=1.0)
    counts = BooleanField(_l("Counts in the total"), default=True)
    remove = BooleanField(_l("Remove this criterion"))

    def is_blank(self) -> bool:
        return not (self.name_fr.data or "").strip() and not (self.name_en.data or "").strip()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        has_fr, has_en = (bool((field.data or "").strip()) for field in (self.name_fr, self.name_en))
        if not self.remove.data and has_fr != has_en:
            (self.name_en if has_fr else self.name_fr).errors.append(_l("Give the name in both languages."))
            return False
        return valid


class RubricForm(FlaskForm):
    criteria = FieldList(FormField(CriterionForm), min_entries=1, max_entries=30)
    submit = SubmitField(_l("Save the rubric"))

    def rows(self) -> list[CriterionRow]:
        return [
            CriterionRow(
                name_fr=entry.name_fr.data.strip(),
                name_en=entry.name_en.data.strip(),
                help_fr=(entry.help_fr.data or "").strip(),
                help_en=(entry.help_en.data or "").strip(),
                scale=entry.scale.data,
                weight=entry.weight.data,
                counts=entry.counts.data,
            )
            for entry in self.criteria
            if not entry.remove.data and not entry.is_blank()
        ]

    def validate_criteria(self, field):
        if not self.rows():
            raise ValidationError(_l("Keep at least one criterion."))


class PairForm(FlaskForm):
    """A proposal and a reviewer: assign, unassign."""

    proposal = IntegerField(validators=[InputRequired()])
    reviewer = IntegerField(validators=[InputRequired()])


class AssignForm(PairForm):
    """Manual assignment; beyond the member's maximum load it needs the box ticked."""

    over_load = BooleanField(_l("Assign beyond this member's maximum load"))
    # Set by the confirmation page: the box was shown, so an unticked box is an answer.
    asked = HiddenField()


class ConflictForm(FlaskForm):
    proposal = SelectField(_l("Proposal"), coerce=int)
    reviewer = SelectField(_l("Committee member"), coerce=int)
    reason = StringField(
        _l("Reason"),
        validators=[Length(max=500)],
        description=_l("Shown to staff only. The member's assignment to the proposal, if any, is withdrawn."),
    )
    submit = SubmitField(_l("Record the conflict"))


class ConflictRulingForm(FlaskForm):
    """Confirm or waive the detected conflicts of one pair; one form per pair, told apart by prefix."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[DataRequired(message=_l("Say why, for the audit log.")), Length(max=500)],
        render_kw={"rows": 2},
        description=_l("Required, at most 500 characters. Shown to programme staff and in the audit log."),
    )
    confirm = SubmitField(_l("Confirm the conflict"))
    waive = SubmitField(_l("Waive the conflict"))

    @classmethod
    def for_pair(cls, proposal_id: int, user_id: int, **kwargs) -> "ConflictRulingForm":
        return cls(prefix=f"ruling-{proposal_id}-{user_id}", **kwargs)


class AutoAssignForm(FlaskForm):
    per_proposal = IntegerField(
        _l("Reviewers per proposal"),
        validators=[InputRequired(), NumberRange(min=1, max=10)],
        default=2,
    )
    # The planned pairs, "proposal:reviewer", as shown on the confirmation page.
    pairs = SelectMultipleField(choices=[], validate_choice=False)
    confirm = HiddenField()
