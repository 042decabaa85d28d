"""Descriptions that once stalled the site (issue 11): built here, shared by the tests and bench."""


def many_formulas(count: int = 8000) -> str:
    """`count` different small formulas, ten a paragraph: 8,000 make about 290 kB."""
    formulas = [f"$x_{{{i}}} + \\frac{{{i}}}{{y^{{2}}}} + 1$" for i in range(count)]
    paragraphs = [", ".join(formulas[i : i + 10]) + "." for i in range(0, count, 10)]
    return "<b>Not bold</b>\n\n" + "\n\n".join(paragraphs)


def deep_formula(depth: int = 14) -> str:
    """One short formula nested `depth` levels deep: at 14, over an hour in ziamath."""
    return "A formula: $" + "\\sqrt{\\frac{1}{" * (depth // 2) + "x" + "}}" * (depth // 2) + "$."
