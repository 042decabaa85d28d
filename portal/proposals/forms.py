"""The PRD form. It accepts anything for a draft: the call's rules are checked at submission
(rules.py) and their messages are put next to the fields here."""

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, ValidationError

from portal.catalogue.consent_form import ConsentForm
from portal.extensions import db
from portal.proposals.content import EXCLUDED_REVIEWERS_MAX, split_keywords
from portal.proposals.limits import description_problem
from portal.proposals.rules import KEYWORDS_MAX, TITLE_MAX
from portal.reference.models import Campaign, DoctoralSchool

YES_NO = [SelectChoice("no", _l("No")), SelectChoice("yes", _l("Yes"))]


class StudentForm(Form):
    name = StringField(_l("Name"))
    start = StringField(_l("First enrolment"), render_kw={"placeholder": "2024-09", "inputmode": "numeric"})
    funding = StringField(_l("Funding"), render_kw={"placeholder": _l("e.g. contrat doctoral, CIFRE")})
    share = StringField(_l("Share (%)"), render_kw={"inputmode": "numeric", "class": "share"})


# Placeholders in the blank student row, replaced by the script that inserts it.
ROW_INDEX = "__N__"


def blank_student_row(who: str) -> StudentForm:
    """The fields of a new student row of `who` ("director" or "co_supervisor"), for the page's
    row template: the script adds rows with exactly the server's markup."""
    return StudentForm(prefix=f"{who}-students-{ROW_INDEX}-")


class UnitForm(Form):
    acronym = StringField(_l("Research unit"), description=_l("Acronym, e.g. LIP6"))
    name = StringField(_l("Unit name"))
    code = StringField(_l("Unit code"), description=_l("e.g. UMR7606, UPR2301, EA4512, U1135"))


def _school_choices() -> list[SelectChoice]:
    schools = db.session.scalars(select(DoctoralSchool).order_by(DoctoralSchool.number)).all()
    # The cap rides on each option so the live total can warn as soon as another school is chosen.
    return [SelectChoice("", _l("— choose —"))] + [
        SelectChoice(school.number, str(school), render_kw={"data-cap": school.supervision_cap or ""})
        for school in schools
    ]


class _PersonForm(Form):
    last_name = StringField(_l("Last name"))
    first_name = StringField(_l("First name"))
    title = StringField(
        _l("Title or position"), description=_l("e.g. Professeur, Directrice de recherche CNRS")
    )
    email = EmailField(_l("E-mail"))
    unit = FormField(UnitForm, separator="-")
    doctoral_school = SelectField(_l("Doctoral school"), choices=[], validate_choice=False)
    students = FieldList(FormField(StudentForm), min_entries=0)


class DirectorForm(_PersonForm):
    address = TextAreaField(_l("Professional address"), render_kw={"rows": 2})
    hdr = BooleanField(_l("I hold an HDR (habilitation à diriger des recherches)"))


class CoSupervisorForm(_PersonForm):
    doctoral_school_other = StringField(
        _l("Or, if outside the alliance, its doctoral school"),
        description=_l("Fill in this field or choose a doctoral school above, not both."),
    )


class ExcludedReviewerForm(Form):
    """Someone the director asks not to review the proposal (the committee's staff see it)."""

    name = StringField(_l("Name"), validators=[Length(max=150)], render_kw={"maxlength": 150})
    email = EmailField(_l("E-mail"), validators=[Length(max=254)], render_kw={"maxlength": 254})


class ProposalForm(FlaskForm):
    base_version = HiddenField()
    initiative = SelectField(_l("Initiative or institute"), choices=[], validate_choice=False)
    title = TextAreaField(
        _l("Title of the doctoral research project"),
        description=_l("At most %(limit)d characters.", limit=TITLE_MAX),
        render_kw={"rows": 2, "maxlength": TITLE_MAX, "data-count": "chars"},
    )
    keywords = StringField(
        _l("Keywords"),
        description=_l("Between 1 and %(limit)d, separated by commas or semicolons.", limit=KEYWORDS_MAX),
    )
    language = RadioField(
        _l("Language of the description"),
        choices=[SelectChoice("fr", _l("French")), SelectChoice("en", _l("English"))],
        default="fr",
    )
    director = FormField(DirectorForm)
    update_profile = BooleanField(_l("Also save these details in my profile"))
    co_supervisor = FormField(CoSupervisorForm)
    interest = RadioField(
        _l("Could this project interest another initiative or institute?"), choices=YES_NO, default="no"
    )
    interest_details = TextAreaField(_l("If so, which one(s), and why?"), render_kw={"rows": 2})
    cotutelle = RadioField(_l("International co-tutelle"), choices=YES_NO, default="no")
    cotutelle_partner = StringField(_l("Partner university"))
    cotutelle_country = StringField(_l("Country"))
    # A fixed number of rows (form_data pads them): bounded, nothing to add or remove, no script.
    # No min_entries: WTForms would pad a posted list with gaps by repeating a row.
    excluded_reviewers = FieldList(
        FormField(ExcludedReviewerForm),
        label=_l("People who should not review this proposal"),
        max_entries=EXCLUDED_REVIEWERS_MAX,
    )
    description = TextAreaField(
        _l("Description of the doctoral research project"),
        render_kw={"rows": 24, "class": "markdown-editor", "spellcheck": "true"},
    )
    # The consent to publication and the public contact, read at submission (catalogue/forms.py).
    publication = FormField(ConsentForm)

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.initiative.choices = [("", _l("— choose —"))] + [
            (initiative.acronym, f"{initiative.acronym} – {initiative.name}")
            for initiative in campaign.initiatives
        ]
        schools = _school_choices()
        self.director.form.doctoral_school.choices = schools
        self.co_supervisor.form.doctoral_school.choices = schools

    def validate_description(self, field) -> None:
        # Refused with the form shown again as typed: nothing is lost, nothing is rendered.
        problem = description_problem((field.data or "").replace("\r\n", "\n"))
        if problem is not None:
            raise ValidationError(problem)


def form_data(content: dict[str, Any]) -> dict[str, Any]:
    """The form's `data` for a saved content document."""
    interest = content["other_initiative_interest"]
    cotutelle = content["cotutelle"]
    co_supervisor = content.get("co_supervisor")
    return {
        "initiative": content.get("initiative") or "",
        "title": content["title"],
        "keywords": ", ".join(word.strip() for word in content["keywords"] if word.strip()),
        "language": content["language"],
        "director": _person_data(content["director"]),
        "co_supervisor": _person_data(co_supervisor) if co_supervisor else {},
        "interest": "yes" if interest["answer"] else "no",
        "interest_details": interest["details"],
        "cotutelle": "yes" if cotutelle["answer"] else "no",
        "cotutelle_partner": cotutelle["partner"],
        "cotutelle_country": cotutelle["country"],
        "description": content["description"],
        "excluded_reviewers": _excluded_rows(content.get("excluded_reviewers") or []),
    }


def _excluded_rows(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The people named, then blank rows up to the maximum."""
    people = people[:EXCLUDED_REVIEWERS_MAX]
    return people + [{"name": "", "email": ""} for _ in range(EXCLUDED_REVIEWERS_MAX - len(people))]


def _person_data(person: dict[str, Any]) -> dict[str, Any]:
    data = dict(person)
    data["doctoral_school"] = person.get("doctoral_school") or ""
    data["students"] = [{**row, "share": str(row.get("share", ""))} for row in person.get("students", [])]
    return data


def content_from_form(form: ProposalForm) -> dict[str, Any]:
    """The content document the form holds, before normalising (content.normalise)."""
    co_supervisor = form.co_supervisor.data if _has_identity(form.co_supervisor.data) else None
    return {
        "initiative": form.initiative.data,
        "title": form.title.data,
        "keywords": split_keywords(form.keywords.data or ""),
        "language": form.language.data,
        "director": form.director.data,
        "co_supervisor": co_supervisor,
        "other_initiative_interest": {
            "answer": form.interest.data == "yes",
            "details": form.interest_details.data,
        },
        "cotutelle": {
            "answer": form.cotutelle.data == "yes",
            "partner": form.cotutelle_partner.data,
            "country": form.cotutelle_country.data,
        },
        "description": form.description.data,
        "excluded_reviewers": form.excluded_reviewers.data,
    }


def _has_identity(person: dict[str, Any]) -> bool:
    """A co-supervisor block counts once anything identifying them is typed: nothing typed is dropped."""
    identity = [
        person.get(key) for key in ("last_name", "first_name", "title", "email", "doctoral_school_other")
    ]
    identity += list((person.get("unit") or {}).values())
    identity += [person.get("doctoral_school"), *person.get("students", [])]
    return any(value for value in identity if not isinstance(value, dict)) or any(
        any(row.values()) for row in person.get("students", [])
    )


# Content paths whose form field is not at the same place.
# Content paths of the two small groups that the form shows as fields of its own.
FLAT_FIELDS = {
    "other_initiative_interest.answer": "interest",
    "other_initiative_interest.details": "interest_details",
    "cotutelle.answer": "cotutelle",
    "cotutelle.partner": "cotutelle_partner",
    "cotutelle.country": "cotutelle_country",
}


def field_for_path(form: ProposalForm, path: str):
    """The form field a rules.Problem path points to, or None."""
    path = FLAT_FIELDS.get(path, path)
    node: Any = form
    for part in path.split("."):
        if hasattr(node, "form") and not isinstance(node, FieldList):
            node = node.form
        if isinstance(node, FieldList):
            index = int(part)
            if index >= len(node.entries):
                return None
            node = node.entries[index]
        else:
            node = getattr(node, part, None)
        if node is None:
            return None
    return node


def attach_problems(form: ProposalForm, problems) -> list:
    """Put each problem's message on its field; returns those that have no field."""
    unplaced = []
    for problem in problems:
        field = field_for_path(form, problem.path)
        if field is None or not hasattr(field, "errors"):
            unplaced.append(problem)
            continue
        if isinstance(field.errors, tuple):
            field.errors = list(field.errors)
        field.errors.append(problem.message)
    return unplaced


class InviteCoEditorForm(FlaskForm):
    email = EmailField(
        _l("E-mail of the person to invite"),
        validators=[InputRequired(), Email(message=_l("Enter a valid e-mail address.")), Length(max=254)],
    )


class ExtensionForm(FlaskForm):
    until = DateTimeLocalField(
        _l("New deadline for this proposal (Paris time)"),
        validators=[InputRequired()],
        format="%Y-%m-%dT%H:%M",
    )
