"""Forms of the account pages, one per use case."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    FormField,
    PasswordField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, EqualTo, InputRequired, Length, ValidationError

from portal.auth import passwords
from portal.forms import ModelSelectField
from portal.reference.models import DoctoralSchool
from portal.reference.unit_form import StrictUnitForm


class NewPasswordRules:
    """Length limits, and not the e-mail address itself."""

    def __call__(self, form, field):
        value = field.data or ""
        if len(value) < passwords.MIN_LENGTH:
            raise ValidationError(_l("Use at least %(count)d characters.", count=passwords.MIN_LENGTH))
        if len(value) > passwords.MAX_LENGTH:
            raise ValidationError(_l("Use at most %(count)d characters.", count=passwords.MAX_LENGTH))
        email = getattr(form, "email", None)
        if email is not None and email.data and value.strip().lower() == email.data.strip().lower():
            raise ValidationError(_l("The password must not be your e-mail address."))


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        validators=[InputRequired(), NewPasswordRules()],
        description=_l(
            "At least %(count)d characters. A sentence you can remember works well.",
            count=passwords.MIN_LENGTH,
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


class SignInForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[InputRequired()], render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class SignUpForm(FlaskForm):
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    email = EmailField(
        _l("Professional e-mail"),
        validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create my account"))


class EmailForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address."))],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send the link"))


class SetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Save the password"))


class InvitedAccountForm(FlaskForm):
    """An invited co-editor's account: their name and title (for the history and "last saved by"),
    and a password."""

    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    title = StringField(
        _l("Title or position"),
        validators=[Length(max=150)],
        description=_l("For example: Assistant Professor, Directeur de recherche CNRS."),
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create my account and accept"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired()],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change the password"))


class ProfileForm(FlaskForm):
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    title = StringField(
        _l("Title or position"),
        validators=[Length(max=150)],
        description=_l("For example: Assistant Professor, Directeur de recherche CNRS."),
    )
    hdr = BooleanField(_l("I hold an HDR (habilitation to supervise research)"))
    address = TextAreaField(_l("Professional address"), validators=[Length(max=1000)])
    unit = FormField(StrictUnitForm, separator="-")
    doctoral_school = ModelSelectField(_l("Doctoral school"), model=DoctoralSchool, optional=True)
    # Removed by the profile page for accounts that may not be found (staff, administrators).
    findable_as_co_supervisor = BooleanField(
        _l("Let thesis directors fill in my details from my e-mail address"),
        description=_l(
            "When a director names you as co-supervisor and types your address, the proposal form copies "
            "your name, title, research unit and doctoral school from this profile. Unticked, your "
            "address tells them nothing: they type your details themselves."
        ),
    )
    submit = SubmitField(_l("Save my profile"))


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[InputRequired(), Length(max=32)],
        description=_l("The 6 digits shown by your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )
    submit = SubmitField(_l("Verify"))


class DisableTwoFactorForm(FlaskForm):
    password = PasswordField(
        _l("Password"), validators=[InputRequired()], render_kw={"autocomplete": "current-password"}
    )
    submit = SubmitField(_l("Turn off two-factor sign-in"))
