"""Error pages in the user's language; unknown and forbidden objects look the same (404)."""

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError

log = logging.getLogger(__name__)

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
    503: (
        _l("The portal is unavailable for a moment"),
        _l(
            "The portal cannot reach its database right now. What was saved before is safe; what "
            "you just sent may not be. Try again in a minute."
        ),
    ),
}
# Seconds a client (or a proxy) is told to wait before trying again.
RETRY_AFTER = 30


def _render(code: int) -> str:
    title, message = _MESSAGES[code]
    return render_template("errors/error.html", code=code, title=title, message=message)


def _page(code: int):
    return lambda error: (_render(code), code)


def _database_unavailable(error):
    """The database is down or restarting: the portal's own page, not a bare 500 and its traceback."""
    from portal.extensions import login_manager

    log.warning("Database unavailable: %s", " ".join(str(getattr(error, "orig", None) or error).split()))
    # The account of a signed-in user cannot be loaded now: the page (its menu, its language)
    # shows as to a visitor instead of failing again on the database.
    login_manager._update_request_context_with_user()
    return _render(503), 503, {"Retry-After": str(RETRY_AFTER)}


def register_error_pages(app: Flask) -> None:
    for code in _MESSAGES:
        app.register_error_handler(code, _page(code))
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
