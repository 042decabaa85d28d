"""Conversion between `prd/1` documents (docs/prd.schema.json, docs/interchange.md) and proposals.

Messages are in English: they are read by the administrator running `flask proposals import`, and
those of the schema come from jsonschema, which speaks English only.
"""

import base64
import binascii
import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from jsonschema import Draft202012Validator, FormatChecker
from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.auth.services import find_user, grant_role, normalise_email
from portal.documents.figures import FigureError, FigureImage, prepare_figure
from portal.extensions import db
from portal.proposals import printing, services
from portal.proposals.content import FORMAT
from portal.proposals.editing import find_or_create_unit
from portal.proposals.limits import description_problem
from portal.proposals.models import Proposal, ProposalRevision
from portal.proposals.rules import Problem, find_school
from portal.reference.models import Campaign, DoctoralSchool, Initiative

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "prd.schema.json"
PEOPLE = ("director", "co_supervisor")
# Keys of the document that are not part of a proposal's content.
_ENVELOPE = ("format", "campaign", "figures")
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
_ONE_SCHOOL = (
    "Give exactly one of doctoral_school (a known school) and doctoral_school_other (the other null)."
)


class ImportRefused(Exception):
    """The document cannot be imported; `problems` says every reason, each with its field."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass
class _Resolved:
    """What a document's references point to, found while validating it."""

    campaign: Campaign | None = None
    initiative: Initiative | None = None
    schools: dict[str, DoctoralSchool] = field(default_factory=dict)
    figures: list[FigureImage] = field(default_factory=list)


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _email_format(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@cache
def _validator() -> Draft202012Validator:
    # The same e-mail check as the submission rules, instead of jsonschema's "contains an @".
    checker = FormatChecker(formats=())
    checker.checks("email")(_email_format)
    return Draft202012Validator(schema(), format_checker=checker)


def _path(parts) -> str:
    return ".".join(str(part) for part in parts) or "document"


def _schema_problems(data: Any) -> list[Problem]:
    """Each schema error at the path of its field, in the order of the paths (2 before 10)."""
    found = []
    for error in _validator().iter_errors(data):
        parts = list(error.absolute_path)
        message = error.message
        required = _REQUIRED.match(message) if error.validator == "required" else None
        if required:
            parts.append(required.group(1))
            message = "This field is required."
        elif (
            parts[:1] == ["co_supervisor"]
            and parts[-1:] == ["doctoral_school_other"]
            and error.validator == "type"
        ):
            message = _ONE_SCHOOL
        found.append((parts, message))
    found.sort(key=lambda item: [f"{part:09d}" if isinstance(part, int) else part for part in item[0]])
    return [Problem(_path(parts), message) for parts, message in found]


def _check_references(data: dict[str, Any], found: _Resolved) -> list[Problem]:
    """The campaign, the initiative and the doctoral schools the document names must be known."""
    problems = []
    campaign = data.get("campaign")
    year = campaign.get("year") if isinstance(campaign, dict) else None
    if isinstance(year, int) and not isinstance(year, bool):
        found.campaign = db.session.scalar(select(Campaign).where(Campaign.year == year))
        if found.campaign is None:
            problems.append(Problem("campaign.year", f"There is no campaign for the year {year}."))
    acronym = data.get("initiative")
    if isinstance(acronym, str) and acronym.strip():
        found.initiative = db.session.scalar(
            select(Initiative).where(func.upper(Initiative.acronym) == acronym.strip().upper())
        )
        if found.initiative is None:
            problems.append(Problem("initiative", f"No initiative or institute has the acronym {acronym!r}."))
        elif found.campaign is not None and found.initiative not in found.campaign.initiatives:
            problems.append(
                Problem(
                    "initiative", f"{found.initiative.acronym} is not part of the {found.campaign.year} call."
                )
            )
    for who in PEOPLE:
        person = data.get(who)
        reference = person.get("doctoral_school") if isinstance(person, dict) else None
        if isinstance(reference, str) and reference.strip():
            school = find_school(reference)
            if school is None:
                problems.append(
                    Problem(
                        f"{who}.doctoral_school",
                        f"No doctoral school has the number or acronym {reference!r}.",
                    )
                )
            else:
                found.schools[who] = school
    director = data.get("director")
    email = director.get("email") if isinstance(director, dict) else None
    owner = find_user(email) if isinstance(email, str) and email else None
    if owner is not None and owner.disabled:
        problems.append(Problem("director.email", "The account with this address is disabled."))
    return problems


def _check_figures(figures: Any, found: _Resolved) -> list[Problem]:
    """Decode each figure and check it as an upload is checked (the result is what gets stored)."""
    problems: list[Problem] = []
    if not isinstance(figures, list):
        return problems
    seen = set()
    for index, figure in enumerate(figures):
        if not isinstance(figure, dict) or not isinstance(figure.get("name"), str):
            continue
        name = figure["name"]
        if name in seen:
            problems.append(Problem(f"figures.{index}.name", f"Another figure is already named {name!r}."))
        seen.add(name)
        try:
            raw = base64.b64decode(str(figure.get("data") or ""), validate=True)
        except (binascii.Error, ValueError):
            problems.append(Problem(f"figures.{index}.data", "This is not base64-encoded data."))
            continue
        try:
            image = prepare_figure(name, raw)
        except FigureError as error:
            problems.append(Problem(f"figures.{index}.data", str(error)))
            continue
        found.figures.append(image)
    return problems


def _check_limits(data: dict[str, Any]) -> list[Problem]:
    """The limits of the form, before anything is decoded or rendered."""
    checks = []
    if isinstance(data.get("description"), str):
        checks.append(("description", description_problem(data["description"].replace("\r\n", "\n"))))
    if isinstance(data.get("figures"), list):
        checks.append(("figures", description_problem("", figures=len(data["figures"]))))
    with force_locale("en"):
        return [Problem(path, str(problem)) for path, problem in checks if problem is not None]


def _validate(data: Any) -> tuple[list[Problem], _Resolved]:
    found = _Resolved()
    problems = _schema_problems(data)
    if isinstance(data, dict):
        problems += _check_limits(data)
        if any(problem.path in ("description", "figures") for problem in problems):
            # Too many figures, or a text too big: not worth decoding every image.
            return problems, found
        problems += _check_references(data, found)
        problems += _check_figures(data.get("figures"), found)
    return problems, found


def validate_document(data: Any) -> list[Problem]:
    """Every reason `data` is not an importable `prd/1` document: its shape, then what it refers to."""
    return _validate(data)[0]


def _content(data: dict[str, Any], found: _Resolved) -> dict[str, Any]:
    """The proposal content of a valid document; doctoral schools are kept by their number."""
    content = {key: value for key, value in data.items() if key not in _ENVELOPE}
    content["initiative"] = found.initiative.acronym
    for who, school in found.schools.items():
        content[who] = {**content[who], "doctoral_school": school.number}
    return content


def _owner(director: dict[str, Any], found: _Resolved) -> User:
    """The director's account; a new one has no password: an invitation or reset link claims it."""
    owner = find_user(director["email"])
    if owner is None:
        # An existing account's profile is its owner's: only a new one is filled from the file.
        owner = User(
            email=normalise_email(director["email"]),
            first_name=director["first_name"].strip(),
            last_name=director["last_name"].strip(),
            title=director["title"].strip(),
            address=director["address"].strip(),
            hdr=director["hdr"],
            research_unit=find_or_create_unit(director["unit"]),
            doctoral_school=found.schools["director"],
        )
        db.session.add(owner)
    grant_role(user=owner, role=Role.supervisor)
    return owner


def import_document(data: Any, *, submit: bool = False) -> Proposal:
    """A new proposal from a `prd/1` document, as a draft or submitted; raises ImportRefused.

    Nothing is committed: the caller commits, or rolls back on any error, so that a refused import
    leaves no account, research unit or proposal behind.
    """
    problems, found = _validate(data)
    if problems:
        raise ImportRefused(problems)
    owner = _owner(data["director"], found)
    for who in PEOPLE:
        if data[who]:
            find_or_create_unit(data[who]["unit"])
    proposal = services.start_proposal(campaign=found.campaign, owner=owner, content=_content(data, found))
    proposal.figures.extend(printing.figure_row(image) for image in found.figures)
    db.session.flush()
    if submit:
        _submit(proposal)
    return proposal


def _submit(proposal: Proposal) -> None:
    try:
        services.submit(
            proposal=proposal,
            content=None,
            base_version=proposal.version,
            author=proposal.owner,
            description_pages=lambda text: printing.measure(proposal, text),
        )
    except services.SubmissionRefused as refused:
        raise ImportRefused(refused.problems) from None
    except services.NotAllowedNow:
        raise ImportRefused(
            [Problem("campaign", f"The {proposal.campaign.year} call does not accept submissions now.")]
        ) from None


def _drop_empty(answer: dict[str, Any]) -> dict[str, Any]:
    """An optional answer without its empty texts, as a file written by hand would have it."""
    return {key: value for key, value in answer.items() if key == "answer" or value not in ("", None)}


def export_document(proposal: Proposal, *, revision: ProposalRevision | None = None) -> dict[str, Any]:
    """The `prd/1` document of the proposal's current content, or of one of its revisions."""
    content = copy.deepcopy((revision or proposal).content)
    document: dict[str, Any] = {"format": FORMAT, "campaign": {"year": proposal.campaign.year}}
    for key, value in content.items():
        if key in ("other_initiative_interest", "cotutelle"):
            value = _drop_empty(value)
        document[key] = value
    if proposal.figures:
        document["figures"] = [
            {
                "name": figure.name,
                "media_type": figure.media_type,
                "data": base64.b64encode(figure.data).decode(),
            }
            for figure in proposal.figures
        ]
    return document
