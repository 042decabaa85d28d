"""Readable differences between two content documents, field by field, for history and conflicts."""

import difflib
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.proposals.field_labels import label_for


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
