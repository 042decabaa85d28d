"""The catalogue's forms: the consent at submission, a call's policy, unpublishing, and the
director's correction of the public version."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.catalogue.consent_form import EMAIL_MAX, ConsentForm, contact_problem
from portal.catalogue.models import PublicationPolicy
from portal.proposals.content import split_keywords
from portal.proposals.limits import description_problem
from portal.proposals.rules import KEYWORDS_MAX, TITLE_MAX

REASON_MAX = 500
NOTE_MAX = 500


POLICY_CHOICES = [
    SelectChoice(PublicationPolicy.nothing.value, _l("Nothing")),
    SelectChoice(PublicationPolicy.funded.value, _l("The funded subjects, once the decisions are published")),
    SelectChoice(
        PublicationPolicy.funded_and_waiting.value,
        _l("The funded subjects and the waiting list, once the decisions are published"),
    ),
    SelectChoice(
        PublicationPolicy.all_submitted.value, _l("Every submitted subject, once the deadline has passed")
    ),
]


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def keyword_list(typed: str) -> list[str]:
    return [keyword.strip() for keyword in split_keywords(typed or "") if keyword.strip()]


class PolicyForm(FlaskForm):
    policy = RadioField(
        _l("What this call publishes"),
        choices=POLICY_CHOICES,
        description=_l("Only subjects whose director agreed to publication when submitting are ever shown."),
        validators=[InputRequired()],
    )


class UnpublishForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Kept in the audit log, and shown to the director."),
        filters=[_stripped],
        validators=[DataRequired(_l("Say why the subject is unpublished.")), Length(max=REASON_MAX)],
        render_kw={"rows": 2, "maxlength": REASON_MAX},
    )


class CorrectionForm(FlaskForm):
    title = TextAreaField(
        _l("Title"),
        filters=[_stripped],
        validators=[DataRequired(), Length(max=TITLE_MAX)],
        render_kw={"rows": 2, "maxlength": TITLE_MAX},
    )
    keywords = StringField(
        _l("Keywords"),
        description=_l("Between 1 and %(limit)d, separated by commas or semicolons.", limit=KEYWORDS_MAX),
        validators=[InputRequired(), Length(max=1000)],
    )
    description = TextAreaField(
        _l("Description"), validators=[InputRequired()], render_kw={"rows": 24, "class": "markdown-editor"}
    )
    contact_email = EmailField(ConsentForm.contact_email.args[0], render_kw={"maxlength": EMAIL_MAX})
    position_filled = BooleanField(_l("The position has been filled"))
    note = StringField(
        _l("What changed"),
        description=_l("For the history, e.g. “typo in the title”."),
        validators=[Length(max=NOTE_MAX)],
        render_kw={"maxlength": NOTE_MAX},
    )

    def validate_keywords(self, field) -> None:
        if not 1 <= len(keyword_list(field.data)) <= KEYWORDS_MAX:
            raise ValidationError(_l("Between 1 and %(limit)d keywords.", limit=KEYWORDS_MAX))

    def validate_description(self, field) -> None:
        problem = description_problem(field.data or "")
        if problem is not None:
            raise ValidationError(str(problem))

    def validate_contact_email(self, field) -> None:
        problem = contact_problem((field.data or "").strip())
        if problem is not None:
            raise ValidationError(problem)
