"""Reading reference data files: JSON with several kinds, or CSV with one kind per file."""

import csv
import io
import json

from flask_babel import gettext as _

from portal.reference.loader import LoadError

# A CSV file holds one kind; its header tells which.
_CSV_SIGNATURES = {
    "campaigns": {"year", "opens_at", "closes_at"},
    "doctoral_schools": {"number", "name", "contact_email"},
    "research_units": {"code", "acronym", "name"},
    "initiatives": {"acronym", "name", "contact_email"},
}


def parse_csv(text: str) -> dict:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {name.strip() for name in reader.fieldnames or []}
    for kind, signature in _CSV_SIGNATURES.items():
        if signature <= header:
            return {kind: [{k.strip(): v for k, v in row.items() if k} for row in reader]}
    raise LoadError(_("the CSV header does not match any kind of reference data (see the documentation)"))


def parse_file(name: str, content: bytes) -> dict:
    """The rows of a .json or .csv file (UTF-8)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError(_("the file must be encoded in UTF-8")) from None
    if name.lower().endswith(".json"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise LoadError(_("the JSON is not valid: %(error)s", error=error)) from None
    if name.lower().endswith(".csv"):
        return parse_csv(text)
    raise LoadError(_("the file must end in .json or .csv"))
