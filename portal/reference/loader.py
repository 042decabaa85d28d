"""Load reference data from a JSON or CSV file: rows are created or updated by their natural key.

The formats are documented in docs/reference-data.md. A file is loaded whole or not at all: the
first bad row stops the load with a message naming the row and the field.
"""

from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.extensions import db
from portal.reference.codes import normalise_unit_code
from portal.reference.mail_domains import DomainListError, parse_domains
from portal.reference.models import (
    Campaign,
    CampaignState,
    DoctoralSchool,
    Initiative,
    InitiativeKind,
    ResearchUnit,
)
from portal.timezones import paris_to_utc

# Loading order matters: campaigns name initiatives.
KINDS = ("initiatives", "doctoral_schools", "research_units", "campaigns")
KIND_NAMES = {
    "initiatives": _l("initiatives and institutes"),
    "doctoral_schools": _l("doctoral schools"),
    "research_units": _l("research units"),
    "campaigns": _l("campaigns"),
}


class LoadError(ValueError):
    """A row of the file cannot be loaded; the message says where and why."""


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def summary(self) -> str:
        parts = [
            _(
                "%(kind)s: %(created)d created, %(updated)d updated",
                kind=KIND_NAMES[kind],
                created=self.created[kind],
                updated=self.updated[kind],
            )
            for kind in KINDS
            if self.created[kind] or self.updated[kind]
        ]
        return "; ".join(parts) or _("nothing to load")


def _text(row: dict, name: str, *, required: bool = True, default: str = "") -> str:
    value = row.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise LoadError(_("'%(field)s' is required", field=name))
    return value or default


def _email(row: dict, name: str) -> str:
    try:
        return validate_email(_text(row, name), check_deliverability=False).normalized
    except EmailNotValidError:
        raise LoadError(_("'%(field)s' is not a valid e-mail address", field=name)) from None


def _bool(row: dict, name: str, default: bool) -> bool:
    value = row.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in {"1", "true", "yes", "oui", "y"}:
        return True
    if lowered in {"0", "false", "no", "non", "n"}:
        return False
    raise LoadError(_("'%(field)s' must be true or false", field=name))


def _int(row: dict, name: str, *, required: bool, default: int | None = None) -> int | None:
    value = row.get(name)
    if value is None or str(value).strip() == "":
        if required:
            raise LoadError(_("'%(field)s' is required", field=name))
        return default
    try:
        return int(str(value).strip())
    except ValueError:
        raise LoadError(_("'%(field)s' must be a whole number", field=name)) from None


def _datetime(row: dict, name: str) -> datetime:
    try:
        return paris_to_utc(datetime.fromisoformat(_text(row, name)))
    except ValueError:
        raise LoadError(_("'%(field)s' must be a date-time such as 2021-02-20T23:59", field=name)) from None


def _enum(row: dict, name: str, enum_class, default):
    value = _text(row, name, required=False)
    if not value:
        return default
    try:
        return enum_class(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_class)
        raise LoadError(_("'%(field)s' must be one of: %(allowed)s", field=name, allowed=allowed)) from None


def _upsert(model, key: str, values: dict, report: LoadReport, kind: str):
    row = db.session.scalar(select(model).where(getattr(model, key) == values[key]))
    if row is None:
        row = model(**values)
        db.session.add(row)
        report.created[kind] += 1
    else:
        for name, value in values.items():
            setattr(row, name, value)
        report.updated[kind] += 1
    db.session.flush()
    return row


def _load_initiative(row: dict, report: LoadReport) -> None:
    values = {
        "acronym": _text(row, "acronym").upper(),
        "name": _text(row, "name"),
        "kind": _enum(row, "kind", InitiativeKind, InitiativeKind.initiative),
        "contact_email": _email(row, "contact_email"),
    }
    _upsert(Initiative, "acronym", values, report, "initiatives")


def _load_doctoral_school(row: dict, report: LoadReport) -> None:
    number = _text(row, "number").upper().replace(" ", "")
    if not (number.startswith("ED") and number[2:].isdigit()):
        raise LoadError(_("'number' must look like ED130"))
    cap = _int(row, "supervision_cap", required=False)
    if cap is not None and not 100 <= cap <= 1000:
        raise LoadError(_("'supervision_cap' must be between 100 and 1000 (per cent)"))
    values = {
        "number": number,
        "acronym": _text(row, "acronym", required=False, default=number),
        "name": _text(row, "name"),
        "contact_email": _email(row, "contact_email"),
        "in_alliance": _bool(row, "in_alliance", True),
        "supervision_cap": cap,
    }
    _upsert(DoctoralSchool, "number", values, report, "doctoral_schools")


def _load_research_unit(row: dict, report: LoadReport) -> None:
    try:
        code = normalise_unit_code(_text(row, "code"))
    except ValueError:
        raise LoadError(_("'code' must look like UMR7606, UPR3251, EA4567 or U1234")) from None
    values = {"code": code, "acronym": _text(row, "acronym"), "name": _text(row, "name")}
    _upsert(ResearchUnit, "code", values, report, "research_units")


def _campaign_initiatives(row: dict) -> list[Initiative]:
    raw = row.get("initiatives") or []
    acronyms = raw if isinstance(raw, list) else str(raw).replace(";", " ").split()
    initiatives = []
    for acronym in acronyms:
        initiative = db.session.scalar(
            select(Initiative).where(Initiative.acronym == str(acronym).strip().upper())
        )
        if initiative is None:
            raise LoadError(_("'initiatives' names an unknown initiative: %(acronym)s", acronym=acronym))
        initiatives.append(initiative)
    return initiatives


def _domains(row: dict) -> list[str]:
    try:
        return parse_domains(row.get("ignored_mail_domains"))
    except DomainListError as error:
        raise LoadError(_("'ignored_mail_domains': %(problem)s", problem=error)) from None


def _load_campaign(row: dict, report: LoadReport) -> None:
    year = _int(row, "year", required=True)
    values = {
        "year": year,
        "name": _text(row, "name", required=False, default=f"AAP {year}"),
        "opens_at": _datetime(row, "opens_at"),
        "closes_at": _datetime(row, "closes_at"),
        "page_limit": _int(row, "page_limit", required=False, default=3),
        "contact_email": _email(row, "contact_email"),
        "state": _enum(row, "state", CampaignState, CampaignState.draft),
        "description": _text(row, "description", required=False),
        "initiatives": _campaign_initiatives(row),
        "ignored_mail_domains": _domains(row),
    }
    if values["closes_at"] <= values["opens_at"]:
        raise LoadError(_("'closes_at' must come after 'opens_at'"))
    if not 1 <= values["page_limit"] <= 20:
        raise LoadError(_("'page_limit' must be between 1 and 20"))
    _upsert(Campaign, "year", values, report, "campaigns")


_LOADERS = {
    "initiatives": _load_initiative,
    "doctoral_schools": _load_doctoral_school,
    "research_units": _load_research_unit,
    "campaigns": _load_campaign,
}


def load_data(data: dict) -> LoadReport:
    """Load a mapping {kind: [rows]}; raises LoadError on the first bad row, having flushed nothing
    the caller must keep (roll back on error)."""
    if not isinstance(data, dict) or not set(data) <= set(KINDS):
        raise LoadError(
            _("the file must be an object whose keys are among: %(kinds)s", kinds=", ".join(KINDS))
        )
    report = LoadReport()
    for kind in KINDS:
        rows = data.get(kind) or []
        if not isinstance(rows, list):
            raise LoadError(_("'%(kind)s' must be a list", kind=kind))
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise LoadError(
                    _("%(kind)s, item %(number)d: must be an object", kind=KIND_NAMES[kind], number=number)
                )
            try:
                _LOADERS[kind](row, report)
            except LoadError as error:
                raise LoadError(
                    _(
                        "%(kind)s, item %(number)d: %(error)s",
                        kind=KIND_NAMES[kind],
                        number=number,
                        error=error,
                    )
                ) from None
    return report
