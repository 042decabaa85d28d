"""Markdown features in the preview and the PDF: tables, footnotes, links, math, figures."""

import re

from portal.documents import MAX_FORMULA_CHARS, render_description, render_proposal_pdf
from portal.documents.math import FormulaBudget, render_math
from tests.documents.conftest import font_names, image_count, link_uris, pdf_text

RICH = """# Heading one

## Heading two

Some *emphasis*, **strong**, a [link](https://example.org/prd) and a note[^n].

- first item
- second item

| Method | Score |
|:-------|------:|
| Patches | 91.2 |
| Scattering | 88.7 |

Inline $\\mathcal{L}_\\theta x$ then display:

$$\\forall x \\in \\mathbb{R}^d, \\Phi \\mathcal{L} x = \\Phi x.$$

[^n]: The footnote text.
"""


def preview(text: str, figures=("plot.png",)) -> str:
    return str(render_description(text, figure_src=lambda name: f"/f/{name}" if name in figures else None))


def test_preview_elements():
    html = preview(RICH)
    expected = [
        "<h1>Heading one</h1>",
        "<h2>Heading two</h2>",
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        "<li>first item</li>",
        '<th class="align-left">Method</th>',
        '<td class="align-right">91.2</td>',
        '<a href="https://example.org/prd"',
        'href="#fn1"',
        '<li id="fn1" class="footnote-item">',
        '<div class="math-display"><svg',
    ]
    for fragment in expected:
        assert fragment in html, fragment
    assert "$" not in html
    # No inline style anywhere: the web preview runs under a CSP without 'unsafe-inline'.
    assert "style=" not in html


def test_inline_math_is_sized_in_em_and_aligned_by_class():
    svg = str(render_math(r"x_i^2", display=False))
    assert re.search(r'width="[0-9.]+em" height="[0-9.]+em"', svg)
    assert re.search(r'class="math math-inline math-va-[0-9]+"', svg)
    assert "<title>x_i^2</title>" in svg


def test_invalid_or_oversized_formula_is_shown_as_code():
    assert str(render_math(r"\frac{", display=False)) == '<code class="math-error">$\\frac{$</code>'
    long = "x+" * (MAX_FORMULA_CHARS // 2 + 1)
    assert str(render_math(long, display=False)).startswith('<code class="math-error">')
    budget = FormulaBudget(limit=1)
    assert str(render_math("y", display=False, budget=budget)).startswith("<svg")
    assert str(render_math("y", display=False, budget=budget)).startswith('<code class="math-error">')


def test_formula_count_is_limited():
    html = preview(" ".join(f"$x_{{{i}}}$" for i in range(500)))
    assert html.count("<svg") == 400
    assert html.count('class="math-error"') == 100


def test_pdf_has_tables_footnotes_clickable_links_and_typeset_math(content, context):
    content["description"] = RICH + "\nBroken $\\frac{$ formula, and more text after it.\n"
    pdf = render_proposal_pdf(content, context=context, figures={})
    text = pdf_text(pdf)
    for fragment in (
        "Heading one",
        "Heading two",
        "Patches",
        "91.2",
        "The footnote text.",
        "more text after it",
    ):
        assert fragment in text, fragment
    assert "https://example.org/prd" in link_uris(pdf)
    # Valid formulas are drawn, not left as code: their text is the source, without delimiters...
    assert "\\mathcal{L}" in text and "$\\forall" not in text
    # ...an invalid one keeps its source, in the monospace font.
    assert "$\\frac{$" in text
    assert any(name.endswith("+PRD-Mono") for name in font_names(pdf))


def test_figure_alone_in_its_paragraph_becomes_a_figure(png_figure, content, context):
    html = preview("![Figure 1: a *plot*](figure:plot.png)")
    assert '<figure class="figure"><img src="/f/plot.png" alt="Figure 1: a plot">' in html
    assert "<figcaption>Figure 1: a <em>plot</em></figcaption>" in html
    content["description"] = "Text before.\n\n![Figure 1: the discriminator](figure:plot.png)\n\nText after."
    pdf = render_proposal_pdf(content, context=context, figures={"plot.png": png_figure})
    assert image_count(pdf) == 1
    assert "Figure 1: the discriminator" in pdf_text(pdf)


def test_unknown_or_external_images_are_not_images():
    html = preview("![missing](figure:other.png) ![web](https://example.org/x.png) ![f](file:///etc/passwd)")
    assert "<img" not in html
    assert '<span class="image-refused">[missing]</span>' in html
    assert '<span class="image-refused">[web]</span>' in html


def test_inline_image_is_not_a_figure():
    html = preview("See ![small](figure:plot.png) here.")
    assert '<img src="/f/plot.png" alt="small">' in html and "<figure" not in html
