"""What the public pages show of a visible subject, assembled from its public content only."""

from dataclasses import dataclass

from flask import current_app, request, url_for
from flask_babel import gettext as _

from portal.catalogue.visibility import Visible
from portal.i18n import select_locale
from portal.names import formal_name
from portal.reviews.models import Outcome


@dataclass(frozen=True)
class Advisor:
    role: str
    name: str
    title: str
    unit: str


def page_language(default: str | None = None) -> tuple[str, bool]:
    """The page's language and whether it was negotiated: `?lang=`, else `default` (a subject's
    own language), else the visitor's choice or browser."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang")
    if chosen in languages:
        return chosen, False
    if default in languages:
        return default, False
    return select_locale(), True


def same_page_in(language: str) -> str:
    """This page's address in `language`: the switch keeps the page, its page number included."""
    arguments = {key: value for key, value in request.args.items() if key != "lang"}
    return url_for(request.endpoint, **(request.view_args or {}), **arguments, lang=language)


def _unit(unit: dict) -> str:
    acronym, name, code = (unit.get(key) or "" for key in ("acronym", "name", "code"))
    label = " – ".join(part for part in (acronym, name) if part)
    return f"{label} ({code})" if code else label


def advisors(content: dict) -> list[Advisor]:
    """The director, then the co-supervisor: name, title and research unit, nothing else."""
    found = []
    for key, role in (("director", _("Thesis director")), ("co_supervisor", _("Co-supervisor"))):
        person = content.get(key)
        if person:
            found.append(
                Advisor(role, formal_name(person), person.get("title") or "", _unit(person.get("unit") or {}))
            )
    return found


def school_label(content: dict) -> str:
    school = content.get("doctoral_school") or {}
    number, acronym, name = (school.get(key) or "" for key in ("number", "acronym", "name"))
    head = " ".join(part for part in (number, acronym if acronym != number else "") if part)
    return f"{head} – {name}" if name else head


def initiative_label(content: dict) -> str:
    initiative = content.get("initiative") or {}
    return " – ".join(part for part in (initiative.get("acronym"), initiative.get("name")) if part)


def outcome_label(outcome: Outcome | None) -> str:
    if outcome is Outcome.funded:
        return _("Funded")
    if outcome is Outcome.waiting_list:
        return _("Waiting list")
    return ""


def meta_description(visible: Visible) -> str:
    """The search engines' summary: what the subject is, for whom, on which themes."""
    content = visible.subject.content
    summary = _(
        "Doctoral research project for %(initiative)s, call %(call)s: %(title)s.",
        initiative=(content.get("initiative") or {}).get("acronym", ""),
        call=visible.subject.proposal.campaign.name,
        title=content.get("title", ""),
    )
    keywords = ", ".join(content.get("keywords") or [])
    return f"{summary} {keywords}".strip()[:300]
