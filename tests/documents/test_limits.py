"""The scan behind the description's limits: it finds the formulas the Markdown parser finds."""

import pytest

from portal.documents.limits import DescriptionLimits, formulas, limit_problem, nesting_depth
from portal.documents.markdown import _MD

LIMITS = DescriptionLimits(
    max_chars=1000, max_formulas=3, max_formula_chars=20, max_formula_depth=4, max_figures=2
)


def parsed_formulas(text: str) -> list[str]:
    tokens = [child for block in _MD.parse(text) for child in [block, *(block.children or [])]]
    return [token.content for token in tokens if token.type.startswith("math")]


@pytest.mark.parametrize(
    "text",
    [
        "$5 or $6",
        r"\$a$ b$",
        "$a`$ $x$ $`b$",
        "$$\\frac{a}{b}$$ and $x$ then $y$",
        "$a\n\n$x$ $y$",
        "price $ 5 $x$",
    ],
)
def test_the_scan_finds_the_parsers_formulas(text):
    assert sorted(formulas(text)) == sorted(parsed_formulas(text))


def test_nesting_counts_braces_left_and_begin():
    assert nesting_depth(r"x^2 + \{a\}") == 0
    assert nesting_depth(r"\left(\frac{1}{\sqrt{x}}\right)") == 3
    # The environment's name in braces counts while it is open: the scan errs on the deep side.
    assert nesting_depth(r"\begin{matrix}\begin{matrix}a\end{matrix}\end{matrix}") == 3


def test_dollars_in_code_count_too():
    # Skipping what looks like code could be fooled into missing formulas; counting more is safe.
    assert formulas("```\n$a$\n```\n$b$") == ["a", "b"]


def test_each_limit_has_its_message(app_context):
    assert limit_problem("Text $x$.", LIMITS) is None
    assert "too long" in str(limit_problem("x" * 1001, LIMITS))
    assert "at most 2 figures" in str(limit_problem("", LIMITS, figures=3))
    assert "too many formulas: 4" in str(limit_problem("$a$ $b$ $c$ $d$", LIMITS))
    assert "formula is too long" in str(limit_problem("$" + "x" * 21 + "$", LIMITS))
    assert "nests too deeply: 5" in str(limit_problem("$" + "{" * 5 + "x" + "}" * 5 + "$", LIMITS))
