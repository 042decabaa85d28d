"""The `prd/1` document a proposal holds: its empty shape, pre-filling, and lenient normalising.

Drafts may be incomplete or wrong; normalising keeps every value the user typed (a share that is
not a number stays a string) so that nothing is lost before the submission rules speak.
"""

import re
from copy import deepcopy
from typing import Any

from portal.auth.models import User

FORMAT = "prd/1"
# The people a director may ask not to review the proposal (optional, absent when none).
EXCLUDED_REVIEWERS_MAX = 5
LANGUAGES = ("fr", "en")
# A line break with the spaces around it: CR, LF, VT, FF, NEL, line and paragraph separators.
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*")


def empty_person(*, with_address: bool) -> dict[str, Any]:
    person: dict[str, Any] = {
        "last_name": "",
        "first_name": "",
        "title": "",
        "email": "",
        "unit": {"acronym": "", "name": "", "code": ""},
        "doctoral_school": None,
        "students": [],
    }
    if with_address:
        person.update(address="", hdr=False)
    else:
        person["doctoral_school_other"] = None
    return person


def empty_content() -> dict[str, Any]:
    return {
        "initiative": None,
        "title": "",
        "keywords": [],
        "language": "fr",
        "director": empty_person(with_address=True),
        "co_supervisor": None,
        "other_initiative_interest": {"answer": False, "details": ""},
        "cotutelle": {"answer": False, "partner": "", "country": ""},
        "description": "",
    }


def director_from_profile(user: User) -> dict[str, Any]:
    """The director block as the user's profile fills it."""
    director = empty_person(with_address=True)
    director.update(
        last_name=user.last_name,
        first_name=user.first_name,
        title=user.title,
        email=user.email,
        address=user.address,
        hdr=user.hdr,
    )
    director.update(affiliation_from_profile(user))
    return director


def affiliation_from_profile(user: User) -> dict[str, Any]:
    """The research unit and doctoral school of an account, as content keys (absent when unset)."""
    affiliation: dict[str, Any] = {}
    if user.unit_details:
        affiliation["unit"] = user.unit_details
    if user.doctoral_school:
        affiliation["doctoral_school"] = user.doctoral_school.number
    return affiliation


def new_content(user: User) -> dict[str, Any]:
    content = empty_content()
    content["director"] = director_from_profile(user)
    return content


def _text(value: Any) -> str:
    if value is None:
        return ""
    # Browsers send textarea line breaks as CRLF; one form of line break keeps diffs honest.
    return str(value).replace("\r\n", "\n").strip()


def _line(value: Any) -> str:
    """A one-line field: a line break typed in its text area (or in an imported file) becomes a
    space, so that the title stays one line in a list, a PDF heading and a mail subject."""
    return _LINE_BREAKS.sub(" ", _text(value))


def _number_or_text(value: Any) -> int | str:
    """Whole numbers become ints; anything else is kept as typed, for the rules to reject."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    text = _text(value)
    # "30 %", "30%", "30 %" (a narrow no-break space) are 30: directors type the sign.
    digits = re.sub(r"[\s\u00a0\u202f]*%$", "", text)
    return int(digits) if digits.isdigit() else text


def _students(rows: Any) -> list[dict[str, Any]]:
    students = []
    for row in rows or []:
        if not isinstance(row, dict):
            continue
        student = {
            "name": _text(row.get("name")),
            "start": _text(row.get("start")),
            "funding": _text(row.get("funding")),
            "share": _number_or_text(row.get("share")),
        }
        if any(value not in ("", None) for value in student.values()):
            students.append(student)
    return students


def _person(data: Any, *, with_address: bool) -> dict[str, Any]:
    person = empty_person(with_address=with_address)
    data = data or {}
    for key in ("last_name", "first_name", "title", "email"):
        person[key] = _line(data.get(key))
    unit = data.get("unit") or {}
    person["unit"] = {key: _text(unit.get(key)) for key in ("acronym", "name", "code")}
    person["doctoral_school"] = _text(data.get("doctoral_school")) or None
    person["students"] = _students(data.get("students"))
    if with_address:
        person["address"] = _text(data.get("address"))
        person["hdr"] = bool(data.get("hdr"))
    else:
        person["doctoral_school_other"] = _text(data.get("doctoral_school_other")) or None
    return person


def _excluded_reviewers(rows: Any) -> list[dict[str, str]]:
    people = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            person = {"name": _line(row.get("name")), "email": _line(row.get("email"))}
            if person["name"] or person["email"]:
                people.append(person)
    return people


def split_keywords(typed: str) -> list[str]:
    """The keywords of the form's one line: directors separate them with commas or semicolons."""
    return re.split(r"[,;]", typed)


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """A complete content document from `data`, keeping every typed value, dropping unknown keys."""
    data = deepcopy(data)
    content = empty_content()
    content["initiative"] = _text(data.get("initiative")) or None
    content["title"] = _line(data.get("title"))
    keywords = data.get("keywords") or []
    if isinstance(keywords, str):
        keywords = split_keywords(keywords)
    content["keywords"] = [_text(word) for word in keywords if _text(word)]
    language = _text(data.get("language"))
    content["language"] = language or "fr"
    content["director"] = _person(data.get("director"), with_address=True)
    co_supervisor = data.get("co_supervisor")
    content["co_supervisor"] = _person(co_supervisor, with_address=False) if co_supervisor else None
    interest = data.get("other_initiative_interest") or {}
    content["other_initiative_interest"] = {
        "answer": bool(interest.get("answer")),
        "details": _text(interest.get("details")),
    }
    cotutelle = data.get("cotutelle") or {}
    content["cotutelle"] = {
        "answer": bool(cotutelle.get("answer")),
        "partner": _text(cotutelle.get("partner")),
        "country": _text(cotutelle.get("country")),
    }
    # The description keeps its exact text: whitespace is meaningful in Markdown.
    content["description"] = str(data.get("description") or "").replace("\r\n", "\n")
    # Optional and additive: a proposal that names no one keeps the document it always had.
    excluded = _excluded_reviewers(data.get("excluded_reviewers"))
    if excluded:
        content["excluded_reviewers"] = excluded
    return content


def total_share(person: dict[str, Any] | None) -> int:
    if not person:
        return 0
    return sum(row["share"] for row in person.get("students", []) if isinstance(row.get("share"), int))
