"""The research unit of a person, one component for the profile and the proposal form: a unit
from the reference list, or acronym, name and code typed by hand."""

from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.validators import Length

from portal.extensions import db
from portal.reference.codes import UnitCode, is_unit_code, normalise_unit_code
from portal.reference.models import ResearchUnit

if TYPE_CHECKING:
    from portal.auth.models import User

UNIT_KEYS = ("acronym", "name", "code")
# The reference columns' sizes: a typed unit can always be added to the list as it is.
ACRONYM_MAX, NAME_MAX, CODE_MAX = 32, 255, 16


def listed_unit(code: str) -> ResearchUnit | None:
    return db.session.scalar(select(ResearchUnit).where(ResearchUnit.code == code)) if code else None


def set_profile_unit(user: "User", unit: dict[str, str] | None) -> None:
    """The profile's unit: the listed one when its code is in the list, else kept as typed."""
    unit = unit or {}
    code = (unit.get("code") or "").strip()
    code = normalise_unit_code(code) if is_unit_code(code) else code
    listed = listed_unit(code)
    user.research_unit = listed
    typed = listed is None and code
    user.unit_acronym = (unit.get("acronym") or "").strip()[:ACRONYM_MAX] if typed else ""
    user.unit_name = (unit.get("name") or "").strip()[:NAME_MAX] if typed else ""
    user.unit_code = code if typed else ""


def unit_values(unit: ResearchUnit) -> dict[str, str]:
    return {"acronym": unit.acronym, "name": unit.name, "code": unit.code}


def _choices() -> list[SelectChoice]:
    units = db.session.scalars(select(ResearchUnit).order_by(ResearchUnit.acronym, ResearchUnit.code)).all()
    return [SelectChoice("", _l("— not in the list —"))] + [
        SelectChoice(unit.code, f"{unit.acronym} – {unit.name} ({unit.code})") for unit in units
    ]


class UnitForm(Form):
    """Lenient, as the proposal form is for a draft: a code of the wrong shape is kept as typed
    (the submission rules speak); StrictUnitForm refuses it, and wants all three typed fields."""

    strict = False

    listed = SelectField(
        _l("Research unit"),
        description=_l("Choose your unit, or leave “not in the list” and type it below."),
        validate_choice=False,
    )
    acronym = StringField(
        _l("Acronym of the unit"),
        validators=[Length(max=ACRONYM_MAX)],
        description=_l("e.g. LIP6"),
        render_kw={"maxlength": ACRONYM_MAX},
    )
    name = StringField(_l("Unit name"), validators=[Length(max=NAME_MAX)], render_kw={"maxlength": NAME_MAX})
    code = StringField(
        _l("Unit code"),
        validators=[Length(max=CODE_MAX), UnitCode()],
        description=_l("e.g. UMR 7606, UPR 2301, EA 4512, UR 7373, IRL 2958"),
        render_kw={"maxlength": CODE_MAX},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.listed.choices = _choices()

    def typed(self) -> dict[str, str]:
        return {key: (getattr(self, key).data or "").strip() for key in UNIT_KEYS}

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        typed = self.typed()
        if self.listed.data and any(typed.values()):
            self.listed.errors = [
                *self.listed.errors,
                _l("Choose a unit from the list or type one below, not both."),
            ]
            return False
        if self.listed.data and listed_unit(self.listed.data) is None:
            self.listed.errors = [*self.listed.errors, _l("Choose one of the options in the list.")]
            return False
        if self.strict and any(typed.values()):
            for key in UNIT_KEYS:
                field = getattr(self, key)
                if not typed[key] and not field.errors:
                    field.errors = [*field.errors, _l("This field is required.")]
                    valid = False
        return valid

    def unit(self) -> dict[str, str]:
        """The unit chosen or typed, as the `prd/1` document holds it."""
        chosen = listed_unit(self.listed.data or "")
        return unit_values(chosen) if chosen is not None else self.typed()


class StrictUnitForm(UnitForm):
    strict = True


def unit_form_data(unit: dict[str, Any] | None) -> dict[str, str]:
    """The component's data for a unit held as {acronym, name, code}: a unit that is exactly one of
    the list shows as chosen in it; anything else as typed, so nothing typed is replaced."""
    unit = dict(unit or {})
    if "listed" in unit:  # already the component's own data (a page shown again)
        return unit
    values = {key: str(unit.get(key) or "") for key in UNIT_KEYS}
    known = listed_unit(values["code"])
    if known is not None and unit_values(known) == values:
        return {"listed": known.code, "acronym": "", "name": "", "code": ""}
    return {"listed": "", **values}
