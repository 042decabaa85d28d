"""Pages that reload themselves while background work is pending (a count, a PDF, an export), so
that they work without JavaScript, and that the reader may stop.

The reload is the HTTP `Refresh` header rather than a `<meta>` tag, and the page offers a link
that turns it off (`?refresh=off`), then one to look again: WCAG 2.2.1 asks that a time limit
the user did not choose can be turned off (axe-core's meta-refresh rule, tests/browser).
"""

from flask import Response, make_response, request

STOP_ARGUMENT = "refresh"


def stopped() -> bool:
    """Whether the reader asked this page not to reload itself."""
    return request.args.get(STOP_ARGUMENT) == "off"


def reloading(body: str, *, pending: bool, seconds: int) -> Response:
    """`body` as the response, reloading itself every `seconds` while `pending`, unless stopped."""
    response = make_response(body)
    if pending and not stopped():
        response.headers["Refresh"] = str(seconds)
    return response
