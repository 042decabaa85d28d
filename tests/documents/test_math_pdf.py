"""Formulas in the PDF: drawn from cached PDF operators, same layout as the SVG, tagged, as text,
fallback."""

import subprocess
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from portal.documents import render_proposal_pdf
from portal.documents.fetcher import FetchRefused, SafeURLFetcher
from portal.documents.layout import (
    _fill,
    clear_layout_cache,
    description_document,
    front_document,
    render_html,
)
from portal.documents.markdown import render_description
from portal.documents.math import formula
from portal.documents.mathpdf import pdf_operators
from tests.documents.conftest import reader

FORMULAS = r"""Inline $\mathcal{L}_\theta x$, $\frac{a}{b}$, $\sqrt{x^2+1}$ and $\color{red}{y}$, then:

$$\forall x \in \mathbb{R}^d, \Phi \mathcal{L} x = \Phi x.$$

$$\begin{pmatrix}a&b\\c&d\end{pmatrix} \sum_{i=1}^n \int_0^1 f(x)\,dx$$
"""


def svg_document(text: str):
    """The description laid out with inline SVG formulas, as before formulas were images."""
    body = render_description(text, figure_src=lambda name: None)
    html = Markup('<!DOCTYPE html><html lang="en"><body class="description">{}</body></html>').format(body)
    return render_html(str(html), figures={})


def test_formulas_take_the_same_room_as_the_svg():
    text = "\n\n".join([FORMULAS] * 12)
    clear_layout_cache()
    images, svgs = description_document(text, figures={}), svg_document(text)
    assert len(images.pages) == len(svgs.pages) > 1
    assert _fill(images.pages[-1]._page_box) == pytest.approx(_fill(svgs.pages[-1]._page_box), abs=1e-9)


def test_formulas_are_drawn_from_operators_tagged_and_extractable_as_their_source(content, context):
    content["description"] = FORMULAS
    pdf_bytes = render_proposal_pdf(content, context=context, figures={})
    # What copy, search and text extraction give: each formula's LaTeX source, in reading order.
    extracted = subprocess.run(
        ["pdftotext", "-f", "3", "-l", "3", "-", "-"], input=pdf_bytes, capture_output=True, check=True
    ).stdout.decode()
    assert r"Inline \mathcal{L}_\theta x, \frac{a}{b}, \sqrt{x^2+1}" in extracted
    assert r"\forall x \in \mathbb{R}^d, \Phi \mathcal{L} x = \Phi x." in extracted
    pdf = reader(pdf_bytes)
    stream = pdf.pages[2].get_contents().get_data()
    assert stream.count(b" c\n") > 100  # the glyphs' curves
    assert b"1 0 0 rg" in stream  # \color{red}
    alts = set()
    stack = [pdf.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if hasattr(node, "get_object"):
            node = node.get_object()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                alts.add(str(node.get("/Alt")))
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    assert {
        r"\mathcal{L}_\theta x",
        r"\frac{a}{b}",
        r"\forall x \in \mathbb{R}^d, \Phi \mathcal{L} x = \Phi x.",
    } <= alts


def test_what_the_operators_cannot_draw_is_drawn_by_weasyprint(content, context):
    assert formula(r"\cancel{x}", False).image is None  # a stroke: WeasyPrint's SVG renderer
    assert formula(r"\frac{a}{b}", False).image is not None
    content["description"] = r"Struck $\cancel{x}$ and boxed $$\boxed{y}$$ formulas."
    pdf = reader(render_proposal_pdf(content, context=context, figures={}))
    stream = pdf.pages[2].get_contents().get_data()
    assert stream.count(b" c\n") > 10 and (b"\nS\n" in stream or b"\nB\n" in stream)  # strokes drawn


@pytest.mark.parametrize(
    "svg",
    [
        '<svg viewBox="0 0 10 10"><path d="m 1 1 l 2 2 z" fill="black"/></svg>',  # relative
        '<svg viewBox="0 0 10 10"><path d="M 1 1 A 2 2 0 0 1 3 3 Z"/></svg>',  # arc
        '<svg viewBox="0 0 10 10"><path d="M 1 1 L 2 2 Z" stroke="black"/></svg>',
        '<svg viewBox="0 0 10 10"><g transform="scale(2)"><path d="M 1 1 L 2 2 Z"/></g></svg>',
        '<svg viewBox="0 0 10 10"><path d="M 1 1 L 2 2 Z" fill="rgba(0,0,0,0.5)"/></svg>',
        '<svg viewBox="0 0 10 10"><text>x</text></svg>',
        '<svg viewBox="0 0 10 10" opacity="0.5"><path d="M 1 1 L 2 2 Z"/></svg>',
        '<svg viewBox="0 0 10 10"><path d="M 1 1 L 2"/></svg>',
    ],
)
def test_operators_only_for_plain_fills(svg):
    assert pdf_operators(ET.fromstring(svg)) is None  # noqa: S314 (the test's own markup)


def test_operators_of_a_plain_fill():
    svg = (
        '<svg viewBox="0 0 10 10"><path d="M 1 1 L 1 1 L 4 1 Q 4 4 1 4 Z" fill="black"/>'
        '<rect x="0" y="5" width="3" height="0.5" fill="#f00"/></svg>'
    )
    operators = pdf_operators(ET.fromstring(svg))  # noqa: S314 (the test's own markup)
    # The zero-length line is dropped; the quadratic becomes a cubic (control points at 2/3).
    assert operators == b"0 0 0 rg\n1 1 m\n4 1 l\n4 3 3 4 1 4 c\nh\nf\n1 0 0 rg\n0 5 3 0.5 re\nf"


def test_fetcher_serves_only_this_documents_formulas():
    typeset = formula(r"x_1", False)
    fetcher = SafeURLFetcher(formulas={typeset.url: typeset.svg})
    assert fetcher.fetch(typeset.url).read() == typeset.svg.encode()
    for url in (formula(r"x_2", False).url, "prd-asset:math/../fonts/x", "prd-asset:math/"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    with pytest.raises(FetchRefused):
        SafeURLFetcher().fetch(typeset.url)


def test_front_pages_layout_is_cached_by_its_html():
    clear_layout_cache()
    html = "<!DOCTYPE html><html><body><p>Form</p></body></html>"
    first = front_document(html)
    assert front_document(html) is first
    assert front_document(html.replace("Form", "Other")) is not first
    clear_layout_cache()
    assert front_document(html) is not first
