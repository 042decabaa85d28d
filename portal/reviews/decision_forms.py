"""Forms of the decisions beyond the ranking: referrals to another initiative, contracts given back."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.labels import choices
from portal.reviews.models import ContractRelease, ReferralOutcome
from portal.reviews.referrals import COMMENT_LENGTH


class ReferralForm(FlaskForm):
    """Refer one of the committee's proposals to another initiative of the call."""

    proposal = SelectField(_l("Proposal"), coerce=int, validators=[InputRequired()])
    initiative = SelectField(_l("Refer it to"), coerce=int, validators=[InputRequired()])
    comment = TextAreaField(
        _l("Comment for the other initiative"),
        validators=[
            DataRequired(message=_l("Say why this proposal may interest them.")),
            Length(max=COMMENT_LENGTH),
        ],
        render_kw={"rows": 3},
        description=_l(
            "Required, at most 1,000 characters. Read by the other initiative's staff and committee; "
            "the director is told of the referral, not of this comment."
        ),
    )
    submit = SubmitField(_l("Refer the proposal"))


class ReferralOutcomeForm(FlaskForm):
    """The initiative a proposal was referred to says what it made of it."""

    outcome = RadioField(_l("Your answer"), choices=choices(ReferralOutcome), validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=COMMENT_LENGTH)], render_kw={"rows": 2})
    submit = SubmitField(_l("Record the answer"))

    @classmethod
    def for_referral(cls, referral_id: int, **kwargs) -> "ReferralOutcomeForm":
        return cls(prefix=f"referral-{referral_id}", **kwargs)


class ReleaseForm(FlaskForm):
    """A funded proposal gives its contract back (declined, withdrawn)."""

    proposal = IntegerField(validators=[InputRequired()])
    release = SelectField(_l("The contract"), choices=choices(ContractRelease), validators=[InputRequired()])
