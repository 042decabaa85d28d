"""LaTeX formulas to inline SVG with ziamath, sized in em and aligned on the text's baseline."""

import functools
import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

import ziamath
from markupsafe import Markup

from portal.documents.errors import INTERRUPTIONS
from portal.documents.mathpdf import FormulaImage, pdf_operators

# Paths drawn in place, without <symbol>/<use>: several formulas share one HTML page, and
# symbol ids repeated with different scales would make later formulas borrow earlier glyphs.
ziamath.config.svg2 = False

# The renderer's own backstop: the portal refuses such texts before (config.py, documents/limits.py);
# should its scan count differently from the Markdown parser, these still bound one rendering.
MAX_FORMULA_CHARS = 2000
MAX_FORMULAS = 400
# ziamath draws at this size in its own units; dividing by it gives em of the surrounding text.
_DRAW_SIZE = 20.0
# Vertical offsets come from a fixed set of CSS classes (the web preview's CSP forbids inline
# styles): `math-va-N` moves the box down by N / VA_STEPS em, for N in 0..VA_BUCKETS.
VA_STEPS = 50
VA_BUCKETS = 100

ET.register_namespace("", "http://www.w3.org/2000/svg")
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


class FormulaBudget:
    """Counts the formulas of one document, so a text cannot ask for thousands of them."""

    def __init__(self, limit: int = MAX_FORMULAS):
        self.remaining = limit

    def take(self) -> bool:
        self.remaining -= 1
        return self.remaining >= 0


@dataclass(frozen=True, eq=False)
class Formula:
    """One typeset formula: its SVG markup, size in em, and its drawing as PDF operators."""

    source: str
    display: bool
    svg: str
    width_em: float
    height_em: float
    css_class: str
    key: str  # sha256 of the source and mode: the formula's name in the print document
    image: FormulaImage | None  # None: WeasyPrint draws `svg` itself

    @property
    def url(self) -> str:
        return f"{MATH_URL_PREFIX}{self.key}"


MATH_URL_PREFIX = "prd-asset:math/"
FormulaSource = Callable[[Formula], str]


def math_css(*, images: bool = False) -> str:
    """The stylesheet rules the math markup relies on, for the print and the web stylesheets.

    `images=True` (the print stylesheet) adds the same rules for the `<img class="math">` that
    stand for the formulas in the PDF.
    """
    elements = ("svg", "img") if images else ("svg",)
    rules = [
        ", ".join(f"{e}.math" for e in elements) + " { overflow: visible; }",
        ", ".join(f"{e}.math-inline" for e in elements) + " { display: inline; }",
        "div.math-display { text-align: center; margin: 0.4em 0; }",
        ", ".join(f"div.math-display {e}.math" for e in elements)
        + " { display: inline-block; vertical-align: middle; }",
        "code.math-error { font-family: monospace; white-space: pre-wrap; }",
    ]
    rules += [f".math-va-{n} {{ vertical-align: -{n / VA_STEPS:g}em; }}" for n in range(VA_BUCKETS + 1)]
    return "\n".join(rules) + "\n"


def render_math(
    source: str, *, display: bool, budget: FormulaBudget | None = None, src: FormulaSource | None = None
) -> Markup:
    """One formula as SVG markup; its source as code when it is too long, too many, or invalid.

    With `src` (the print document), the formula is an `<img>` of the same size and class whose
    URL `src(formula)` names the typeset formula, with the source as alternative text.
    """
    source = source.strip()
    if not source or len(source) > MAX_FORMULA_CHARS or (budget is not None and not budget.take()):
        return _as_code(source, display)
    typeset = formula(source, display)
    if typeset is None:
        return _as_code(source, display)
    if src is not None:
        markup = Markup('<img class="{}" src="{}" alt="{}">').format(typeset.css_class, src(typeset), source)
    else:
        # The SVG is ziamath's output serialised by ElementTree (escaped), never the user's text.
        markup = Markup(typeset.svg)  # noqa: S704
    return Markup('<div class="math-display">{}</div>').format(markup) if display else markup


def _as_code(source: str, display: bool) -> Markup:
    delimiter = "$$" if display else "$"
    code = Markup('<code class="math-error">{}</code>').format(f"{delimiter}{source}{delimiter}")
    return Markup("<p>{}</p>").format(code) if display else code


@functools.lru_cache(maxsize=1024)
def formula(source: str, display: bool) -> Formula | None:
    """The typeset formula, or None when ziamath cannot read it."""
    # The page count and the PDF typeset the same formulas again and again: keep them.
    try:
        element = ziamath.Latex(source, size=_DRAW_SIZE, inline=not display).svgxml()
        x, y, width, height = (float(v) for v in element.get("viewBox").split())
    except INTERRUPTIONS:
        raise  # the task's time limit, not a bad formula (and never cached as one)
    except Exception:  # ziamath and latex2mathml raise many kinds of errors on bad input
        return None
    descent = max(0.0, y + height) / _DRAW_SIZE
    bucket = min(VA_BUCKETS, round(descent * VA_STEPS))
    width_em, height_em = f"{width / _DRAW_SIZE:.3f}", f"{height / _DRAW_SIZE:.3f}"
    css_class = "math" if display else f"math math-inline math-va-{bucket}"
    operators = pdf_operators(element)
    element.set("width", f"{width_em}em")
    element.set("height", f"{height_em}em")
    element.set("class", css_class)
    element.set("role", "img")
    element.set("aria-label", source)
    title = ET.Element("title")
    title.text = source
    element.insert(0, title)
    size = (float(width_em), float(height_em))
    return Formula(
        source=source,
        display=display,
        svg=ET.tostring(element, encoding="unicode"),
        width_em=size[0],
        height_em=size[1],
        css_class=css_class,
        key=hashlib.sha256(f"{int(display)}\0{source}".encode()).hexdigest(),
        image=None if operators is None else FormulaImage(*size, (x, y, width, height), operators, source),
    )
