"""A national list of research units, from a CSV file with its own column names.

Such lists hold structures of every kind: a row whose code is not a unit code is skipped and
counted, not refused, so the whole list can be loaded as published. Rows are created or updated
by their code; a second load of the same file changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.extensions import db
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.models import ResearchUnit
from portal.reference.unit_form import ACRONYM_MAX, NAME_MAX

# A national list has some ten thousand rows; far beyond, the file is not one.
MAX_ROWS = 100_000


class UnitsFileError(ValueError):
    """The file cannot be read as a list of units: nothing is loaded."""


@dataclass
class UnitsReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[int] = field(default_factory=list)  # line numbers

    def summary(self) -> str:
        lines = ", ".join(str(n) for n in self.skipped[:10]) + ("…" if len(self.skipped) > 10 else "")
        skipped = f"{len(self.skipped)} skipped" + (f" (lines {lines})" if self.skipped else "")
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {skipped}"


def _rows(text: str) -> csv.DictReader:
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text), dialect=dialect)


def load_units_csv(
    text: str, *, code: str = "code", acronym: str = "acronym", name: str = "name"
) -> UnitsReport:
    """Create or update the units of a CSV text whose columns `code`, `acronym`, `name` are named so."""
    reader = _rows(text)
    header = [column.strip() for column in reader.fieldnames or []]
    missing = [column for column in (code, acronym, name) if column not in header]
    if missing:
        raise UnitsFileError(f"no column {', '.join(missing)} in the header: {', '.join(header)}")
    known = {unit.code: unit for unit in db.session.scalars(select(ResearchUnit))}
    report = UnitsReport()
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise UnitsFileError(f"more than {MAX_ROWS} rows")
        row = {
            (key or "").strip(): (value or "").strip() for key, value in row.items() if isinstance(value, str)
        }
        unit_code, unit_name = row.get(code, ""), row.get(name, "")[:NAME_MAX]
        if not is_unit_code(unit_code) or not unit_name:
            report.skipped.append(line)
            continue
        unit_code = normalise_unit_code(unit_code)
        values = {"acronym": (row.get(acronym) or unit_code)[:ACRONYM_MAX], "name": unit_name}
        unit = known.get(unit_code)
        if unit is None:
            known[unit_code] = unit = ResearchUnit(code=unit_code, **values)
            db.session.add(unit)
            report.created += 1
        elif (unit.acronym, unit.name) != (values["acronym"], values["name"]):
            unit.acronym, unit.name = values["acronym"], values["name"]
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    return report
