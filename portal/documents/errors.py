"""Errors the documents package raises; their messages are shown to the user as they are."""


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
