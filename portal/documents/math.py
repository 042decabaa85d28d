"""LaTeX formulas to inline SVG with ziamath, sized in em and aligned on the text's baseline."""

import functools
import xml.etree.ElementTree as ET

import ziamath
from markupsafe import Markup

# Paths drawn in place, without <symbol>/<use>: several formulas share one HTML page, and
# symbol ids repeated with different scales would make later formulas borrow earlier glyphs.
ziamath.config.svg2 = False

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


def math_css() -> str:
    """The stylesheet rules the math markup relies on, for the print and the web stylesheets."""
    rules = [
        "svg.math { overflow: visible; }",
        "svg.math-inline { display: inline; }",
        "div.math-display { text-align: center; margin: 0.4em 0; }",
        "div.math-display svg.math { display: inline-block; vertical-align: middle; }",
        "code.math-error { font-family: monospace; white-space: pre-wrap; }",
    ]
    rules += [f".math-va-{n} {{ vertical-align: -{n / VA_STEPS:g}em; }}" for n in range(VA_BUCKETS + 1)]
    return "\n".join(rules) + "\n"


def render_math(source: str, *, display: bool, budget: FormulaBudget | None = None) -> Markup:
    """One formula as SVG markup; its source as code when it is too long, too many, or invalid."""
    source = source.strip()
    if not source or len(source) > MAX_FORMULA_CHARS or (budget is not None and not budget.take()):
        return _as_code(source, display)
    svg = _svg(source, display)
    if svg is None:
        return _as_code(source, display)
    # The SVG is ziamath's output serialised by ElementTree (escaped), never the user's text.
    markup = Markup(svg)  # noqa: S704
    return Markup('<div class="math-display">{}</div>').format(markup) if display else markup


def _as_code(source: str, display: bool) -> Markup:
    delimiter = "$$" if display else "$"
    code = Markup('<code class="math-error">{}</code>').format(f"{delimiter}{source}{delimiter}")
    return Markup("<p>{}</p>").format(code) if display else code


@functools.lru_cache(maxsize=1024)
def _svg(source: str, display: bool) -> str | None:
    # The page count and the PDF typeset the same formulas again and again: keep them.
    try:
        element = ziamath.Latex(source, size=_DRAW_SIZE, inline=not display).svgxml()
        x, y, width, height = (float(v) for v in element.get("viewBox").split())
    except Exception:  # ziamath and latex2mathml raise many kinds of errors on bad input
        return None
    descent = max(0.0, y + height) / _DRAW_SIZE
    bucket = min(VA_BUCKETS, round(descent * VA_STEPS))
    element.set("width", f"{width / _DRAW_SIZE:.3f}em")
    element.set("height", f"{height / _DRAW_SIZE:.3f}em")
    element.set("class", "math" if display else f"math math-inline math-va-{bucket}")
    element.set("role", "img")
    element.set("aria-label", source)
    title = ET.Element("title")
    title.text = source
    element.insert(0, title)
    return ET.tostring(element, encoding="unicode")
