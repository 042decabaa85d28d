"""The official PDF of a proposal: the form's front pages, then the description's layout."""

import functools
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import jinja2
import pydyf

from portal.documents.figures import FigureImage
from portal.documents.layout import LOCK, PRINT_DIR, description_document, front_document
from portal.documents.mathpdf import add_text_font
from portal.names import formal_name, surname_in_capitals, tidy

# PDF/UA-1 turns on tagging (structure tree, MarkInfo) and the matching XMP metadata.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# pydyf deflates every stream at level 9: for the example, 25 ms of zlib for a 76.4 kB file; at 5,
# 11 ms for 77.9 kB (docs/pdf.md, "Benchmark").
DEFLATE_LEVEL = 5

MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


@dataclass(frozen=True)
class PrintContext:
    """What the PDF needs beyond the proposal's content: campaign and reference data, as text."""

    campaign_year: int
    initiative_acronym: str
    initiative_name: str = ""
    programme: str = "Programme Instituts et Initiatives"
    deadline_text: str = ""
    contact_email: str = ""
    director_school_label: str = ""
    co_supervisor_school_label: str = ""
    submitted_at_text: str | None = None


def month_year(start: str) -> str:
    """'2019-01' as 'janvier 2019' (the form asks for the month and year of first enrolment)."""
    try:
        year, month = (int(part) for part in str(start).split("-")[:2])
        return f"{MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return str(start)


@functools.cache
def environment() -> jinja2.Environment:
    """The print templates' own Jinja environment, usable outside any Flask request."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PRINT_DIR)), autoescape=True, undefined=jinja2.ChainableUndefined
    )
    env.filters["month_year"] = month_year
    env.filters["surname_in_capitals"] = surname_in_capitals
    env.filters["tidy"] = tidy
    return env


def author_name(person: Mapping) -> str:
    """'Sylvain LAMPRIER', as the author of the PDF (portal/names.py)."""
    return formal_name(person)


def front_html(content: Mapping, context: PrintContext, description_pages: int) -> str:
    """The front pages (the filled form) as HTML."""
    director = content.get("director") or {}
    co = content.get("co_supervisor") or None
    return (
        environment()
        .get_template("proposal.html")
        .render(
            content=content,
            context=context,
            language=content.get("language") or "fr",
            director=director,
            co=co,
            director_total=sum(int(s.get("share") or 0) for s in director.get("students") or []),
            co_total=sum(int(s.get("share") or 0) for s in (co or {}).get("students") or []),
            interest=content.get("other_initiative_interest") or {},
            cotutelle=content.get("cotutelle") or {},
            author=author_name(director),
            subject=f"AAP {context.campaign_year} – {context.initiative_acronym}",
            description_pages=description_pages,
        )
    )


def render_proposal_pdf(
    content: Mapping, *, context: PrintContext, figures: Mapping[str, FigureImage]
) -> bytes:
    """The official PDF of a `prd/1` proposal, tagged, with its metadata."""
    description = content.get("description") or ""
    language = content.get("language") or "fr"
    with LOCK:
        # The description is laid out on its own (and reused from a recent page count): its
        # pages are exactly the ones measured, and the form's pages are joined in front. Both
        # layouts are kept a while (keyed by what they show); the PDF itself is written anew.
        body = description_document(description, figures=figures, language=language)
        front = front_document(front_html(content, context, len(body.pages)))
        return write_pdf(front.copy(front.pages + body.pages))


def write_pdf(document) -> bytes:
    """The PDF/UA file of a laid-out document, its streams deflated at DEFLATE_LEVEL."""
    return document.write_pdf(finisher=finish, **PDF_OPTIONS)


def finish(document, pdf: pydyf.PDF, level: int = DEFLATE_LEVEL) -> None:
    """The WeasyPrint finisher of every PDF: the formulas' text font, then `deflate`."""
    add_text_font(pdf)
    deflate(document, pdf, level)


def deflate(document, pdf: pydyf.PDF, level: int = DEFLATE_LEVEL) -> None:
    """A WeasyPrint finisher: compress the streams at `level` before pydyf would at level 9.

    At level 9 the file is byte for byte the one pydyf writes (a test checks it): same data, same
    dictionary keys in the same order, so the PDF is only smaller or larger, never different.
    """
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and item.compress:
            raw = b"\n".join(pydyf._to_bytes(part) for part in item.stream)
            compressor = zlib.compressobj(level=level)
            item.stream = [compressor.compress(raw) + compressor.flush()]
            item.extra["Filter"] = "/FlateDecode"
            item.compress = False
