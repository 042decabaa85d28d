"""The public subset of a proposal's `prd/1` content: what a subject page may ever show.

Built field by field from what is allowed, never by removing what is not: a field added to
`prd/1` later stays private until it is named here.
"""

from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reference.models import DoctoralSchool


def _person(person: dict | None) -> dict[str, Any] | None:
    if not person or not (person.get("last_name") or person.get("first_name")):
        return None
    unit = person.get("unit") or {}
    return {
        "first_name": person.get("first_name") or "",
        "last_name": person.get("last_name") or "",
        "title": person.get("title") or "",
        "unit": {key: unit.get(key) or "" for key in ("acronym", "name", "code")},
    }


def _school(number: str | None) -> dict[str, str] | None:
    if not number:
        return None
    school = db.session.scalar(select(DoctoralSchool).where(DoctoralSchool.number == number))
    if school is None:
        return {"number": number, "acronym": "", "name": ""}
    return {"number": school.number, "acronym": school.acronym, "name": school.name}


def public_content(proposal: Proposal, content: dict, *, contact_email: str = "") -> dict[str, Any]:
    """The public subset of `content` (a submitted version of `proposal`)."""
    initiative = proposal.initiative
    director = content.get("director") or {}
    return {
        "title": content.get("title") or "",
        "keywords": list(content.get("keywords") or []),
        "language": content.get("language") or "fr",
        "initiative": (
            {"acronym": initiative.acronym, "name": initiative.name, "kind": initiative.kind.value}
            if initiative is not None
            else None
        ),
        "director": _person(director),
        "co_supervisor": _person(content.get("co_supervisor")),
        "doctoral_school": _school(director.get("doctoral_school")),
        "description": content.get("description") or "",
        "contact_email": contact_email,
        "position_filled": False,
    }


def corrected(
    previous: dict,
    *,
    title: str,
    keywords: list[str],
    description: str,
    contact_email: str,
    position_filled: bool,
) -> dict[str, Any]:
    """A new public content: `previous` with the fields the director may correct replaced."""
    content = dict(previous)
    content.update(
        title=title,
        keywords=keywords,
        description=description,
        contact_email=contact_email,
        position_filled=position_filled,
    )
    return content
