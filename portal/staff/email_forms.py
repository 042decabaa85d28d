"""The form of an administrator's wording of one e-mail in one language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import Length, ValidationError

from portal.notifications.overrides import OverrideError, check


class EmailTemplateForm(FlaskForm):
    """Subject and text; each is checked by rendering it strictly with the sample data."""

    subject = StringField(
        _l("Subject"),
        validators=[Length(max=500)],
        description=_l("Leave empty to keep the default subject."),
    )
    body = TextAreaField(
        _l("Text of the message"),
        validators=[Length(max=20000)],
        description=_l(
            "Leave empty to keep the default text. Plain text: blank lines separate paragraphs and "
            "addresses become links in the HTML version. Variables are written {{ title }}."
        ),
        render_kw={"rows": 18},
    )
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, template: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.template = template
        self.rendered: dict[str, str] = {}

    def _check(self, field) -> None:
        if not (field.data or "").strip():
            return
        try:
            self.rendered[field.name] = check(self.template, field.data)
        except OverrideError as error:
            raise ValidationError(str(error)) from error

    def validate_subject(self, field):
        self._check(field)
        if "\n" in field.data:
            raise ValidationError(_l("The subject is one line."))

    def validate_body(self, field):
        self._check(field)
