"""Safe redirects after a form: only to paths of this site."""

from urllib.parse import urlsplit

from flask import redirect, request, url_for


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
