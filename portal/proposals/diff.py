"""Readable differences between two content documents, field by field, for history and conflicts."""

import difflib
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.proposals.forms import CoSupervisorForm, DirectorForm, ProposalForm, StudentForm, UnitForm

_LABELS = {
    "initiative": _l("Initiative or institute"),
    "title": _l("Title"),
    "keywords": _l("Keywords"),
    "language": _l("Language of the description"),
    "director": _l("Thesis director"),
    "co_supervisor": _l("Co-supervisor"),
    "other_initiative_interest": _l("Interest of another initiative"),
    "cotutelle": _l("International co-tutelle"),
    "description": _l("Description"),
}


@dataclass(frozen=True)
class FieldChange:
    path: str
    label: str
    before: str
    after: str

    @property
    def lines(self) -> list[tuple[str, str]]:
        """Line-level diff for long texts: ("-"|"+"|" ", line), unchanged runs cut to their context."""
        before, after = self.before.splitlines(), self.after.splitlines()
        result = []
        for line in difflib.unified_diff(before, after, lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            if line.startswith("@@"):
                result.append(("@", "…"))
            else:
                result.append((line[:1], line[1:]))
        return result

    @property
    def is_long(self) -> bool:
        return "\n" in self.before or "\n" in self.after


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        out[path] = ", ".join(value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(item, f"{path}.{index}", out)
    elif value is None:
        out[path] = ""
    elif isinstance(value, bool):
        out[path] = str(_l("Yes") if value else _l("No"))
    else:
        out[path] = str(value)


# The two small groups that the form shows as fields of its own: content key → form field.
_FLAT_FIELDS = {
    "other_initiative_interest": {"answer": None, "details": "interest_details"},
    "cotutelle": {"answer": None, "partner": "cotutelle_partner", "country": "cotutelle_country"},
}


def _form_label(form_class: type, name: str) -> str | None:
    """The label the form gives its field `name` (None when it has no such field)."""
    unbound = getattr(form_class, name, None)
    if unbound is None or not hasattr(unbound, "field_class"):
        return None
    label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else None)
    # A sub-form's first argument is its class, not a label.
    return None if label is None or isinstance(label, type) else str(label)


def _person_labels(form_class: type, parts: list[str]) -> list[str]:
    if parts == ["students"]:
        return [str(_l("PhD students currently supervised"))]
    if parts[0] == "students" and len(parts) >= 2 and parts[1].isdigit():
        student = str(_l("Student %(number)s", number=int(parts[1]) + 1))
        field = _form_label(StudentForm, parts[2]) if len(parts) > 2 else None
        return [student, *([field] if field else parts[2:])]
    if parts[0] == "unit" and len(parts) == 2:
        return [_form_label(UnitForm, parts[1]) or parts[1]]
    return [_form_label(form_class, parts[0]) or " › ".join(parts)]


def label_for(path: str) -> str:
    """The form's own words for a content path: "Thesis director › Student 1 › Name"."""
    top, *rest = path.split(".")
    label = str(_LABELS.get(top, top))
    if not rest:
        return label
    if top in _FLAT_FIELDS and len(rest) == 1 and rest[0] in _FLAT_FIELDS[top]:
        field = _FLAT_FIELDS[top][rest[0]]
        return f"{label} › {_form_label(ProposalForm, field)}" if field else label
    person_form = {"director": DirectorForm, "co_supervisor": CoSupervisorForm}.get(top)
    parts = _person_labels(person_form, rest) if person_form else rest
    return " › ".join([label, *parts])


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[FieldChange]:
    """Every field whose value differs, in the order of the form."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(before or {}, "", old)
    _flatten(after or {}, "", new)
    paths = list(new) + [path for path in old if path not in new]
    return [
        FieldChange(path, label_for(path), old.get(path, ""), new.get(path, ""))
        for path in paths
        if old.get(path, "") != new.get(path, "")
    ]
