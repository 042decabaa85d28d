"""The print layout of the description, its page measure, and the shared WeasyPrint resources."""

import functools
import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from portal.documents.figures import FigureImage
from portal.documents.markdown import render_description
from portal.documents.math import Formula, math_css

PRINT_DIR = Path(__file__).resolve().parents[2] / "templates" / "print"
PRINT_CSS = PRINT_DIR / "print.css"
LAYOUT_CACHE_SIZE = 8

# WeasyPrint shares font and style objects between documents; one layout at a time per process.
LOCK = threading.RLock()
_cache: OrderedDict[str, object] = OrderedDict()  # description layouts
_front_cache: OrderedDict[str, object] = OrderedDict()  # front pages' layouts


@dataclass(frozen=True)
class PageMeasure:
    """How long the description is once printed: 2.4 = two full pages and 40 % of a third."""

    pages: float
    page_count: int
    last_page_fill: float

    def fits(self, limit: int) -> bool:
        """True when the text takes at most `limit` physical pages."""
        return self.page_count <= limit

    @property
    def display(self) -> str:
        """One decimal, rounded up, so that the shown figure never hides an extra page."""
        return f"{math.ceil(round(self.pages * 10, 6)) / 10:.1f}"


@functools.cache
def resources():
    """The font configuration and the print stylesheet, built once per process."""
    # WeasyPrint is imported where it lays out, not with the app: importing it parses its own
    # stylesheets, which every `flask` command and web process would pay for nothing.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from portal.documents.fetcher import SafeURLFetcher

    font_config = FontConfiguration()
    css_text = PRINT_CSS.read_text(encoding="utf-8") + math_css(images=True)
    stylesheet = CSS(string=css_text, font_config=font_config, url_fetcher=SafeURLFetcher())
    return font_config, stylesheet


def description_html(
    markdown_text: str, *, figures: Mapping[str, FigureImage], language: str, formulas: dict[str, Formula]
) -> str:
    """The description alone as a print HTML document; figures are `figure:NAME` URLs.

    Formulas are `prd-asset:math/SHA256` images, collected in `formulas` (URL → formula).
    """

    def formula_src(formula: Formula) -> str:
        formulas[formula.url] = formula
        return formula.url

    body = render_description(
        markdown_text,
        figure_src=lambda name: f"figure:{name}" if name in figures else None,
        formula_src=formula_src,
    )
    return str(
        Markup('<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"></head>').format(language)
        + Markup('<body class="description">{}</body></html>').format(body)
    )


def render_html(
    html: str, *, figures: Mapping[str, FigureImage], formulas: Mapping[str, Formula] | None = None
):
    """Lay out an HTML string with the print style, through the safe fetcher.

    `formulas` (URL → formula) are this document's typeset formulas: WeasyPrint's image cache
    starts with those that draw from PDF operators; the others are served as SVG by the fetcher.
    """
    from weasyprint import HTML

    from portal.documents.fetcher import SafeURLFetcher

    formulas = formulas or {}
    font_config, stylesheet = resources()
    fetcher = SafeURLFetcher(figures, {url: formula.svg for url, formula in formulas.items()})
    images = {url: formula.image for url, formula in formulas.items() if formula.image is not None}
    with LOCK:
        document = HTML(string=html, url_fetcher=fetcher)
        return document.render(font_config=font_config, stylesheets=[stylesheet], cache=images)


def layout_key(markdown_text: str, figures: Mapping[str, FigureImage], language: str) -> str:
    """The cache key of a description's layout: its text, language and figures' bytes."""
    digest = hashlib.sha256(f"{language}\0{markdown_text}".encode())
    for name in sorted(figures):
        digest.update(f"\0{name}\0{figures[name].sha256}".encode())
    return digest.hexdigest()


def description_document(markdown_text: str, *, figures: Mapping[str, FigureImage], language: str = "en"):
    """The laid-out description, from the small per-process cache when it was just measured.

    The portal's limits (proposals/limits.py) are checked before: here only the time limit holds.
    """
    key = layout_key(markdown_text, figures, language)
    with LOCK:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        formulas: dict[str, Formula] = {}
        html = description_html(markdown_text, figures=figures, language=language, formulas=formulas)
        document = render_html(html, figures=figures, formulas=formulas)
        _remember(_cache, key, document)
        return document


def front_document(html: str):
    """The laid-out front pages of `html` (the filled form), from a small per-process cache.

    The HTML holds everything the pages show (content, print context, description page count),
    so its hash is the key: a PDF downloaded again, or re-rendered after a change to the
    description that keeps its page count, lays out only what changed.
    """
    key = hashlib.sha256(html.encode()).hexdigest()
    with LOCK:
        if key in _front_cache:
            _front_cache.move_to_end(key)
            return _front_cache[key]
        document = render_html(html, figures={})
        _remember(_front_cache, key, document)
        return document


def _remember(cache: OrderedDict, key: str, document) -> None:
    cache[key] = document
    while len(cache) > LAYOUT_CACHE_SIZE:
        cache.popitem(last=False)


def clear_layout_cache() -> None:
    """Forget the cached layouts, description and front pages (benchmarks measure cold renders)."""
    with LOCK:
        _cache.clear()
        _front_cache.clear()


def measure_description(
    markdown_text: str, *, figures: Mapping[str, FigureImage], language: str = "en"
) -> PageMeasure:
    """Lay the description out exactly as printed and say how many pages it takes."""
    document = description_document(markdown_text, figures=figures, language=language)
    page_count = len(document.pages)
    fill = _fill(document.pages[-1]._page_box)
    return PageMeasure(pages=page_count - 1 + fill, page_count=page_count, last_page_fill=fill)


def _fill(page_box) -> float:
    # The body's fragment on the last page ends where the last content ends.
    top, height = page_box.content_box_y(), page_box.height
    html_box = page_box.children[0] if page_box.children else None
    body = html_box.children[0] if html_box is not None and html_box.children else None
    if body is None or height <= 0:
        return 0.0
    used = body.position_y + body.margin_height() - top
    return min(1.0, max(0.0, used / height))
