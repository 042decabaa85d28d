"""What one description may hold, checked by a linear scan of its source before any rendering.

Rendering is the expensive part (ziamath's time doubles with each level a formula nests), so these
checks never parse Markdown or typeset: they find the formulas as the dollarmath plugin does
(`$$…$$`, then `$…$` paired within a paragraph). Dollars inside code count too: a scan that skipped what
looks like code could be fooled into missing formulas, and counting a few more is harmless.
"""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_DISPLAY = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$", re.S)
_DOLLAR = re.compile(r"(?<!\\)(?:\\\\)*\$")
_NESTING = re.compile(r"\\(left|right|begin|end)(?![A-Za-z])|\\.|[{}]", re.S)
_OPENS = {"{", "left", "begin"}


@dataclass(frozen=True)
class DescriptionLimits:
    """The bounds of one description (values from config.py)."""

    max_chars: int
    max_formulas: int
    max_formula_chars: int
    max_formula_depth: int
    max_figures: int

    @classmethod
    def from_config(cls, config) -> "DescriptionLimits":
        return cls(
            max_chars=config["DESCRIPTION_MAX_CHARS"],
            max_formulas=config["DESCRIPTION_MAX_FORMULAS"],
            max_formula_chars=config["FORMULA_MAX_CHARS"],
            max_formula_depth=config["FORMULA_MAX_DEPTH"],
            max_figures=config["DESCRIPTION_MAX_FIGURES"],
        )


def formulas(text: str) -> list[str]:
    """The sources of the formulas in a Markdown text, display ones first."""
    found = [m.group(1) for m in _DISPLAY.finditer(text)]
    for paragraph in _PARAGRAPH.split(_DISPLAY.sub(" ", text)):
        found += _inline_formulas(paragraph)
    return found


def _inline_formulas(text: str) -> list[str]:
    # The plugin as configured here (spaces and digits allowed): unescaped dollars pair in order.
    dollars = [m.end() - 1 for m in _DOLLAR.finditer(text)]
    return [text[start + 1 : end] for start, end in zip(dollars[::2], dollars[1::2], strict=False)]


def nesting_depth(formula: str) -> int:
    """How deep braces, `\\left…\\right` and `\\begin…\\end` nest in a formula."""
    depth = deepest = 0
    for match in _NESTING.finditer(formula):
        token = match.group(1) or match.group(0)
        if token in _OPENS:
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("}", "right", "end"):
            depth = max(0, depth - 1)
    return deepest


def _start(formula: str) -> str:
    start = " ".join(formula.split())
    return start if len(start) <= 40 else start[:40] + "…"


def limit_problem(text: str, limits: DescriptionLimits, *, figures: int = 0):
    """The first limit `text` (with `figures` figures) goes beyond, as a message; None when within."""
    if len(text) > limits.max_chars:
        return _l(
            "The description is too long: %(count)d characters, at most %(limit)d.",
            count=len(text),
            limit=limits.max_chars,
        )
    if figures > limits.max_figures:
        return _l("A description can hold at most %(count)d figures.", count=limits.max_figures)
    found = formulas(text)
    if len(found) > limits.max_formulas:
        return _l(
            "The description has too many formulas: %(count)d, at most %(limit)d.",
            count=len(found),
            limit=limits.max_formulas,
        )
    for formula in found:
        if len(formula) > limits.max_formula_chars:
            return _l(
                "A formula is too long: %(count)d characters, at most %(limit)d (the one that starts"
                " with “%(start)s”).",
                count=len(formula),
                limit=limits.max_formula_chars,
                start=_start(formula),
            )
        depth = nesting_depth(formula)
        if depth > limits.max_formula_depth:
            return _l(
                "A formula nests too deeply: %(depth)d levels of braces, \\left or \\begin, at most"
                " %(limit)d (the one that starts with “%(start)s”).",
                depth=depth,
                limit=limits.max_formula_depth,
                start=_start(formula),
            )
    return None
