"""Error pages in the user's language; unknown and forbidden objects look the same (404)."""

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l

_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access refused"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This page cannot be used this way.")),
    413: (_l("File too large"), _l("The file sent is larger than the portal accepts.")),
    429: (
        _l("Too many attempts"),
        _l("Too many attempts in a short time. Wait a few minutes and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side. Nothing you saved is lost; try again."),
    ),
}


def _page(code: int):
    def handler(error):
        title, message = _MESSAGES[code]
        return render_template("errors/error.html", code=code, title=title, message=message), code

    return handler


def register_error_pages(app: Flask) -> None:
    for code in _MESSAGES:
        app.register_error_handler(code, _page(code))
