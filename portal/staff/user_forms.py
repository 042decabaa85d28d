"""Forms of the user administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length, ValidationError

from portal import labels
from portal.auth.models import Role
from portal.forms import ModelSelectField
from portal.reference.models import DoctoralSchool, Initiative


class GrantForm(FlaskForm):
    """A role, and the doctoral school or initiative it covers when it is a staff role."""

    role = SelectField(_l("Role"), choices=labels.choices(Role), coerce=Role)
    doctoral_school = ModelSelectField(
        _l("Doctoral school (for doctoral school staff)"), model=DoctoralSchool, optional=True
    )
    initiative = ModelSelectField(
        _l("Initiative or institute (for programme staff)"), model=Initiative, optional=True
    )
    submit = SubmitField(_l("Grant the role"))

    def validate_doctoral_school(self, field):
        if self.role.data is Role.school_staff and field.data is None:
            raise ValidationError(_l("Choose the doctoral school this person works for."))

    def validate_initiative(self, field):
        if self.role.data is Role.programme_staff and field.data is None:
            raise ValidationError(_l("Choose the initiative or institute this person works for."))


class InviteForm(GrantForm):
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
    )
    first_name = StringField(_l("First name"), validators=[InputRequired(), Length(max=100)])
    last_name = StringField(_l("Last name"), validators=[InputRequired(), Length(max=100)])
    submit = SubmitField(_l("Send the invitation"))

    def __iter__(self):
        # E-mail and names first, then the role.
        order = ("csrf_token", "email", "first_name", "last_name", "role", "doctoral_school", "initiative")
        return iter([self[name] for name in order if name in self._fields] + [self.submit])
