"""Safe redirects after a form (only to paths of this site), and absolute links for e-mails."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, redirect, request, url_for


def safe_next(default_endpoint: str = "main.home") -> str:
    """The `next` parameter when it is a local path, else the default page."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    local = target.startswith("/") and not target.startswith("//") and "\\" not in target
    if local and not parts.scheme and not parts.netloc:
        return target
    return url_for(default_endpoint)


def redirect_next(default_endpoint: str = "main.home"):
    return redirect(safe_next(default_endpoint))


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail, also from a command (reminders, publication) with no request.

    Outside a request the site's address comes from PUBLIC_URL; SERVER_NAME is not used because it
    would also restrict which host names the app answers to.
    """
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)
