"""What a subject page says to machines: schema.org JSON-LD and Open Graph.

The JSON-LD type is `JobPosting`: a subject is the offer of a doctoral contract, a salaried
position of three years, and that is how search engines and job boards list thesis offers. The
hiring organisation is the initiative or institute, the place its research unit; a filled
position says so with a `validThrough` in the past, which takes it off job listings.
"""

import json

from flask_babel import gettext as _

from portal.catalogue import pages
from portal.catalogue.feeds import subject_url, summary
from portal.catalogue.visibility import Visible

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def json_ld(visible: Visible) -> str:
    """The page's JSON-LD, safe inside a `<script>` element (no `<` left in it)."""
    subject, content = visible.subject, visible.subject.content
    initiative = content.get("initiative") or {}
    units = [advisor.unit for advisor in pages.advisors(content) if advisor.unit]
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": subject.title,
        "description": summary(visible),
        "url": subject_url(visible),
        "identifier": {"@type": "PropertyValue", "name": "PRD", "value": str(subject.id)},
        "datePosted": visible.since.date().isoformat(),
        "employmentType": "FULL_TIME",
        "occupationalCategory": _("Doctoral researcher"),
        "educationRequirements": {
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": "Master",
        },
        "inLanguage": subject.language,
        "keywords": ", ".join(content.get("keywords") or []),
        "hiringOrganization": {
            "@type": "Organization",
            "name": " – ".join(part for part in (initiative.get("acronym"), initiative.get("name")) if part),
        },
    }
    if units:
        posting["jobLocation"] = {"@type": "Place", "name": units[0]}
    if subject.position_filled:
        posting["validThrough"] = subject.revised_at.isoformat()
    text = json.dumps(posting, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def open_graph(visible: Visible, page_language: str) -> list[tuple[str, str]]:
    """The Open Graph properties, in order."""
    subject = visible.subject
    return [
        ("og:type", "article"),
        ("og:site_name", _("PRD Portal")),
        ("og:title", subject.title),
        ("og:description", pages.meta_description(visible)),
        ("og:url", subject_url(visible)),
        ("og:locale", _LOCALES.get(page_language, "fr_FR")),
        ("article:modified_time", visible.since.replace(microsecond=0).isoformat()),
    ]
