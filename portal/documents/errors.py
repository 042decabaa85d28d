"""Errors the documents package raises; their messages are shown to the user as they are."""

from celery.exceptions import SoftTimeLimitExceeded

# Raised into a render from outside, by its task's soft time limit: code that takes any error of
# a library for bad input (a formula ziamath cannot read) must let these through, or a render
# stopped in the middle of a formula would go on until the hard limit kills its process.
INTERRUPTIONS = (SoftTimeLimitExceeded,)


class DocumentError(Exception):
    """A document could not be made; `message` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


class FigureError(DocumentError):
    """An uploaded figure was refused."""


class DescriptionTooLong(DocumentError):
    """The description goes beyond one of the portal's limits (length, formulas, figures)."""


class RenderTimeout(DocumentError):
    """A layout or a PDF took longer than its time limit and was stopped."""
