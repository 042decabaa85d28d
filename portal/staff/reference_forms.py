"""Forms for the reference data, one per kind; each knows how to fill itself and apply itself."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from portal import labels
from portal.extensions import db
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.mail_domains import MAX_DOMAINS, DomainListError, parse_domains
from portal.reference.models import (
    Campaign,
    CampaignState,
    DoctoralSchool,
    Initiative,
    InitiativeKind,
    ResearchUnit,
)
from portal.timezones import paris_to_utc, utc_to_paris

_EMAIL = [InputRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)]


class ReferenceForm(FlaskForm):
    """Base: plain attributes are copied both ways; `unique_field` must not clash with another row."""

    model: type = None
    unique_field: str = ""
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, obj=instance, **kwargs)
        self.instance = instance

    def clean_unique(self, value):
        return value

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        field = getattr(self, self.unique_field)
        value = self.clean_unique(field.data)
        column = getattr(self.model, self.unique_field)
        clash = db.session.scalar(select(self.model).where(column == value))
        if clash is not None and clash is not self.instance:
            field.errors.append(_l("Another entry already uses this value."))
            return False
        return True

    def apply_to(self, obj) -> None:
        for name, field in self._fields.items():
            if name not in ("csrf_token", "submit"):
                setattr(obj, name, field.data)
        setattr(obj, self.unique_field, self.clean_unique(getattr(self, self.unique_field).data))


class InitiativeForm(ReferenceForm):
    model = Initiative
    unique_field = "acronym"
    acronym = StringField(_l("Acronym"), validators=[InputRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=255)])
    kind = SelectField(
        _l("Kind"), choices=labels.choices(InitiativeKind), coerce=InitiativeKind, default="initiative"
    )
    contact_email = EmailField(_l("Contact e-mail"), validators=_EMAIL)

    def clean_unique(self, value):
        return (value or "").strip().upper()


class DoctoralSchoolForm(ReferenceForm):
    model = DoctoralSchool
    unique_field = "number"
    number = StringField(
        _l("Number"), validators=[InputRequired(), Length(max=16)], description=_l("For example ED130.")
    )
    acronym = StringField(_l("Acronym"), validators=[InputRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=255)])
    contact_email = EmailField(_l("Contact e-mail"), validators=_EMAIL)
    in_alliance = BooleanField(_l("Member of the alliance"), default=True)
    supervision_cap = IntegerField(
        _l("Cap on a supervisor's total supervision share (%)"),
        validators=[Optional(), NumberRange(min=100, max=1000)],
        description=_l("Leave empty when the school sets no cap."),
    )

    def clean_unique(self, value):
        return (value or "").strip().upper().replace(" ", "")

    def validate_number(self, field):
        value = self.clean_unique(field.data)
        if not (value.startswith("ED") and value[2:].isdigit()):
            raise ValidationError(_l("Write the number as ED followed by digits, e.g. ED130."))


class ResearchUnitForm(ReferenceForm):
    model = ResearchUnit
    unique_field = "code"
    code = StringField(
        _l("Code"),
        validators=[InputRequired(), Length(max=16)],
        description=_l("For example UMR7606, UPR3251, EA4567 or U1234."),
    )
    acronym = StringField(_l("Acronym"), validators=[InputRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=255)])

    def clean_unique(self, value):
        return normalise_unit_code(value) if is_unit_code(value) else value

    def validate_code(self, field):
        if not is_unit_code(field.data):
            raise ValidationError(_l("This is not a research unit code such as UMR7606."))


class InitiativeCheckboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CampaignForm(ReferenceForm):
    model = Campaign
    unique_field = "year"
    name = StringField(
        _l("Name"), validators=[InputRequired(), Length(max=64)], description=_l("For example AAP 2021.")
    )
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    opens_at = DateTimeLocalField(
        _l("Opens at (Paris time)"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M"
    )
    closes_at = DateTimeLocalField(
        _l("Closes at (Paris time)"), validators=[InputRequired()], format="%Y-%m-%dT%H:%M"
    )
    page_limit = IntegerField(
        _l("Page limit of the description"),
        validators=[InputRequired(), NumberRange(min=1, max=20)],
        default=3,
    )
    contact_email = EmailField(_l("Programme contact e-mail"), validators=_EMAIL)
    state = SelectField(_l("State"), choices=labels.choices(CampaignState), coerce=CampaignState)
    initiatives = InitiativeCheckboxes(_l("Initiatives and institutes taking part"), coerce=int)
    description = TextAreaField(_l("Description of the call"), validators=[Length(max=5000)])
    ignored_mail_domains = TextAreaField(
        _l("Institution e-mail domains the conflict rule ignores"),
        validators=[Length(max=6000)],
        render_kw={"rows": 3, "spellcheck": "false"},
        description=_l(
            "One a line, at most %(count)d, e.g. sorbonne-universite.fr and cnrs.fr: a reviewer and a "
            "director who only share such a domain are not suspected of a conflict. Subdomains are "
            "ignored too.",
            count=MAX_DOMAINS,
        ),
    )

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=instance, **kwargs)
        self.initiatives.choices = [
            SelectChoice(i.id, f"{i.acronym} — {i.name}")
            for i in db.session.scalars(select(Initiative).order_by(Initiative.acronym))
        ]
        if instance is not None and not self.is_submitted():
            self.opens_at.data = utc_to_paris(instance.opens_at).replace(tzinfo=None)
            self.closes_at.data = utc_to_paris(instance.closes_at).replace(tzinfo=None)
            self.initiatives.data = [i.id for i in instance.initiatives]
        if not self.is_submitted():
            self.ignored_mail_domains.data = "\n".join(instance.ignored_mail_domains if instance else [])

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing date must come after the opening date."))

    def validate_ignored_mail_domains(self, field):
        try:
            parse_domains(field.data)
        except DomainListError as error:
            raise ValidationError(str(error)) from None

    def apply_to(self, obj) -> None:
        obj.name = self.name.data
        obj.year = self.year.data
        obj.opens_at = paris_to_utc(self.opens_at.data)
        obj.closes_at = paris_to_utc(self.closes_at.data)
        obj.page_limit = self.page_limit.data
        obj.contact_email = self.contact_email.data
        obj.state = self.state.data
        obj.description = self.description.data or ""
        obj.ignored_mail_domains = parse_domains(self.ignored_mail_domains.data)
        chosen = self.initiatives.data or []
        obj.initiatives = list(db.session.scalars(select(Initiative).where(Initiative.id.in_(chosen))))


class ReferenceImportForm(FlaskForm):
    file = FileField(
        _l("File"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["json", "csv"], _l("The file must be .json or .csv.")),
        ],
        description=_l("JSON with several kinds, or CSV with one kind (see the documentation)."),
    )
    submit = SubmitField(_l("Load the file"))
