"""The JSON export of the visible subjects (`prd-public/1`, docs/public.md, docs/public.schema.json).

Each subject is a subset of its `prd/1` document, with the same keys and meanings, taken from
its public content only; what only the portal knows (its address, the outcome the public may
know, its figures' addresses) is under `public`. A doctoral school's site imports it as is.
"""

import re
from typing import Any

from flask import url_for

from portal.catalogue.feeds import subject_url
from portal.catalogue.visibility import Visible

FORMAT = "prd-public/1"
MEDIA_TYPE = "application/json"
_FIGURE = re.compile(r"\(figure:([A-Za-z0-9][A-Za-z0-9._-]{0,63})\)")


def _person(person: dict | None) -> dict | None:
    if not person:
        return None
    return {key: person.get(key) or "" for key in ("last_name", "first_name", "title")} | {
        "unit": dict(person.get("unit") or {})
    }


def subject_document(visible: Visible) -> dict[str, Any]:
    """One subject: its public `prd/1` subset, then `public`."""
    subject, content = visible.subject, visible.subject.content
    year = subject.proposal.campaign.year
    director = _person(content.get("director")) or {}
    school = content.get("doctoral_school") or {}
    if school.get("number"):
        director["doctoral_school"] = school["number"]
    figures = [
        {
            "name": name,
            "url": url_for("public.figure", year=year, subject_id=subject.id, name=name, _external=True),
        }
        for name in dict.fromkeys(_FIGURE.findall(content.get("description") or ""))
    ]
    public: dict[str, Any] = {
        "id": subject.id,
        "url": subject_url(visible),
        "updated": visible.since.replace(microsecond=0).isoformat(),
        "position_filled": subject.position_filled,
        "figures": figures,
    }
    if visible.outcome is not None:
        public["outcome"] = visible.outcome.value
    if subject.contact_email:
        public["contact_email"] = subject.contact_email
    if school:
        public["doctoral_school"] = {key: school.get(key) or "" for key in ("number", "acronym", "name")}
    return {
        "campaign": {"year": year},
        "initiative": (content.get("initiative") or {}).get("acronym") or "",
        "title": content.get("title") or subject.title,
        "keywords": list(content.get("keywords") or []),
        "language": subject.language,
        "director": director,
        "co_supervisor": _person(content.get("co_supervisor")),
        "description": content.get("description") or "",
        "public": public,
    }


def document(rows: list[Visible], *, page: int, pages: int, next_url: str | None) -> dict[str, Any]:
    """One page of the export: `next` is the address of the following page, if any."""
    updated = max((row.since for row in rows), default=None)
    head: dict[str, Any] = {"format": FORMAT, "page": page, "pages": pages}
    if updated is not None:
        head["updated"] = updated.replace(microsecond=0).isoformat()
    if next_url:
        head["next"] = next_url
    return head | {"subjects": [subject_document(row) for row in rows]}
