"""The one check of what a description may hold, for every way in (form, autosave, preview,
`prd/1` import, figure upload) and before every rendering; the numbers are in config.py."""

from flask import current_app

from portal.documents.errors import DescriptionTooLong
from portal.documents.limits import DescriptionLimits, limit_problem


def description_limits() -> DescriptionLimits:
    return DescriptionLimits.from_config(current_app.config)


def description_problem(text: str, *, figures: int = 0):
    """Why `text` (with `figures` figures) cannot be taken, as a message; None when it can."""
    return limit_problem(text, description_limits(), figures=figures)


def check_description(text: str, *, figures: int = 0) -> None:
    """Raise DescriptionTooLong, with the message, when `text` goes beyond a limit."""
    problem = description_problem(text, figures=figures)
    if problem is not None:
        raise DescriptionTooLong(problem)
