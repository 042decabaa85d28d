"""The call's rules, checked at submission. Each problem names the field it is about.

Paths follow the `prd/1` document ("director.students.2.share"), so the form can show each message
next to its field and the import command can print where a file is wrong.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from portal.db import utcnow
from portal.documents.errors import DocumentError
from portal.extensions import db
from portal.reference.codes import UNIT_CODE_MESSAGE, is_unit_code
from portal.reference.models import Campaign, DoctoralSchool
from portal.timezones import utc_to_paris

TITLE_MAX = 250
KEYWORDS_MAX = 8
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# The rules the form also checks while it is filled (live_checks.py); their codes tag each Problem.
LIVE_RULES = frozenset({"keywords", "hdr", "start_format", "start_future", "same_person"})


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    rule: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class _Checker:
    def __init__(self, now: datetime):
        self.now = now
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, rule: str = "") -> None:
        self.problems.append(Problem(path, message, rule))

    def required(self, data: dict[str, Any], key: str, prefix: str) -> bool:
        if not str(data.get(key) or "").strip():
            self.add(f"{prefix}{key}", _("This field is required."))
            return False
        return True

    def email(self, value: str, path: str) -> None:
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            self.add(path, _("Enter a valid e-mail address."))

    def person(self, person: dict[str, Any], prefix: str, *, director: bool) -> None:
        for key in ("last_name", "first_name", "title", "email"):
            self.required(person, key, prefix)
        if person.get("email"):
            self.email(person["email"], f"{prefix}email")
        if director:
            self.required(person, "address", prefix)
            if not person.get("hdr"):
                self.add(
                    f"{prefix}hdr",
                    _("The thesis director must hold an HDR (habilitation à diriger des recherches)."),
                    "hdr",
                )
        unit = person.get("unit") or {}
        for key in ("acronym", "name", "code"):
            self.required(unit, key, f"{prefix}unit.")
        if unit.get("code") and not is_unit_code(unit["code"]):
            self.add(f"{prefix}unit.code", str(UNIT_CODE_MESSAGE))
        self.doctoral_school(person, prefix, director=director)
        for index, row in enumerate(person.get("students") or []):
            self.student(row, f"{prefix}students.{index}.")

    def doctoral_school(self, person: dict[str, Any], prefix: str, *, director: bool) -> None:
        school = person.get("doctoral_school")
        other = None if director else person.get("doctoral_school_other")
        if school and other:
            self.add(
                f"{prefix}doctoral_school_other",
                _("Choose a doctoral school from the list or name one outside the alliance, not both."),
            )
        elif not school and not other:
            if director:
                self.add(f"{prefix}doctoral_school", _("Choose the doctoral school."))
            else:
                self.add(
                    f"{prefix}doctoral_school",
                    _("Choose a doctoral school from the list or name one outside the alliance."),
                )
        elif school and find_school(school) is None:
            self.add(f"{prefix}doctoral_school", _("This doctoral school is not known to the portal."))

    def student(self, row: dict[str, Any], prefix: str) -> None:
        for key in ("name", "start", "funding"):
            self.required(row, key, prefix)
        start = str(row.get("start") or "")
        match = _MONTH.match(start)
        if start and (not match or not 1 <= int(match.group(2)) <= 12):
            self.add(f"{prefix}start", _("Enter the month of first enrolment as YYYY-MM."), "start_format")
        elif match:
            today = utc_to_paris(self.now)
            if (int(match.group(1)), int(match.group(2))) > (today.year, today.month):
                self.add(f"{prefix}start", _("The first enrolment cannot be in the future."), "start_future")
        share = row.get("share")
        if not isinstance(share, int) or isinstance(share, bool) or not 1 <= share <= 100:
            self.add(f"{prefix}share", _("Enter a whole number of percent between 1 and 100."))


def find_school(reference: str) -> DoctoralSchool | None:
    """A doctoral school by its number ("ED130") or, when unambiguous, its acronym ("EDITE")."""
    reference = (reference or "").strip()
    school = db.session.scalar(select(DoctoralSchool).where(DoctoralSchool.number == reference))
    if school is not None:
        return school
    matches = db.session.scalars(select(DoctoralSchool).where(DoctoralSchool.acronym == reference)).all()
    return matches[0] if len(matches) == 1 else None


def _same_person(director: dict[str, Any], other: dict[str, Any]) -> bool:
    def key(person: dict[str, Any], field: str) -> str:
        return str(person.get(field) or "").strip().casefold()

    if key(director, "email") and key(director, "email") == key(other, "email"):
        return True
    names = ("last_name", "first_name")
    return all(key(director, name) for name in names) and all(
        key(director, name) == key(other, name) for name in names
    )


def submission_problems(
    content: dict[str, Any],
    *,
    campaign: Campaign,
    description_pages: Callable[[str], Any] | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    """Every reason `content` cannot be submitted to `campaign`; empty when it can.

    `description_pages(markdown)` gives the print measure of the description (documents/layout.py);
    it is passed in so that the rules stay independent of the renderer.
    """
    check = _Checker(now or utcnow())
    if check.required(content, "title", "") and len(content["title"]) > TITLE_MAX:
        check.add("title", _("The title is limited to %(limit)d characters.", limit=TITLE_MAX))
    acronyms = {initiative.acronym for initiative in campaign.initiatives}
    if not content.get("initiative"):
        check.add("initiative", _("Choose the initiative or institute."))
    elif content["initiative"] not in acronyms:
        check.add("initiative", _("This initiative or institute is not part of this call."))
    keywords = content.get("keywords") or []
    if not 1 <= len(keywords) <= KEYWORDS_MAX:
        check.add("keywords", _("Give between 1 and %(limit)d keywords.", limit=KEYWORDS_MAX), "keywords")
    if content.get("language") not in ("fr", "en"):
        check.add("language", _("The description is written in French or in English."))
    director = content.get("director") or {}
    check.person(director, "director.", director=True)
    co_supervisor = content.get("co_supervisor")
    if co_supervisor:
        check.person(co_supervisor, "co_supervisor.", director=False)
        if _same_person(director, co_supervisor):
            check.add(
                "co_supervisor.email",
                _("The co-supervisor must be someone other than the thesis director."),
                "same_person",
            )
    interest = content.get("other_initiative_interest") or {}
    if interest.get("answer"):
        check.required(interest, "details", "other_initiative_interest.")
    cotutelle = content.get("cotutelle") or {}
    if cotutelle.get("answer"):
        check.required(cotutelle, "partner", "cotutelle.")
        check.required(cotutelle, "country", "cotutelle.")
    if check.required(content, "description", "") and description_pages is not None:
        try:
            measure = description_pages(content["description"])
        except DocumentError as error:
            check.add("description", str(error.message))
            return check.problems
        if not measure.fits(campaign.page_limit):
            check.add(
                "description",
                _(
                    "The description takes %(pages)s pages in print; this call allows %(limit)d.",
                    pages=format_decimal(float(measure.display), "0.0"),
                    limit=campaign.page_limit,
                ),
            )
    return check.problems
