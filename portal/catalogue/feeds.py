"""Atom feeds (RFC 4287) of the visible subjects: one per call, one per initiative.

Each entry is a subject: its title, the page's address, when the public text last changed, the
director as author, its keywords as categories and a plain-text summary. The description itself
stays on the page (its formulas and figures need the page's stylesheet).
"""

from collections.abc import Iterable
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import url_for
from flask_babel import gettext as _

from portal.catalogue import pages
from portal.catalogue.visibility import Visible

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
#: Entries in one feed, the latest first: a feed says what is new, the pages list everything.
FEED_SIZE = 100

ET.register_namespace("", ATOM)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _time(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def subject_url(visible: Visible, **arguments) -> str:
    subject = visible.subject
    year = subject.proposal.campaign.year
    return url_for("public.subject", year=year, subject_id=subject.id, _external=True, **arguments)


def summary(visible: Visible) -> str:
    """One paragraph of plain text: initiative, school, keywords, and the outcome the public may know."""
    content = visible.subject.content
    parts = [pages.initiative_label(content), pages.school_label(content)]
    if content.get("keywords"):
        parts.append(_("Keywords: %(keywords)s", keywords=", ".join(content["keywords"])))
    parts.append(pages.outcome_label(visible.outcome))
    if visible.subject.position_filled:
        parts.append(_("Position filled"))
    return ". ".join(part for part in parts if part) + "."


def atom(*, title: str, feed_url: str, page_url: str, rows: Iterable[Visible], language: str) -> bytes:
    """The feed document; `rows` the latest first."""
    rows = list(rows)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: language})
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    _add(feed, "updated", _time(max((row.since for row in rows), default=datetime(2000, 1, 1).astimezone())))
    _add(feed, "link", rel="self", type=MEDIA_TYPE.split(";")[0], href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = _add(feed, "author")
    _add(author, "name", _("Institutes and Initiatives programme"))
    for row in rows:
        subject, content = row.subject, row.subject.content
        entry = _add(feed, "entry", **{XML_LANG: subject.language})
        url = subject_url(row)
        _add(entry, "id", url)
        _add(entry, "title", subject.title)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "updated", _time(row.since))
        for advisor in pages.advisors(content)[:1]:
            _add(_add(entry, "author"), "name", advisor.name)
        for keyword in content.get("keywords") or []:
            _add(entry, "category", term=keyword)
        _add(entry, "summary", summary(row), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
