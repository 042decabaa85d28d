"""A web process made ready before its first request (gunicorn.conf.py calls `warm_up`).

At the deadline the first requests of a new process arrive together, dozens of threads at once:
each would compile the sign-in and edit pages' templates for itself (Jinja does not share a
compilation in progress), and each sign-in would build the password hasher. Done once before
serving, they cost a second at start instead of seconds for the first directors.
"""

import logging
import time

from flask import Flask

from portal.auth.passwords import prepare_hasher

log = logging.getLogger(__name__)

#: The print templates have their own environment and filters (portal/documents/pdf.py), used by
#: the workers only.
_NOT_WEB = ("print/",)


def web_templates(app: Flask) -> list[str]:
    return [name for name in app.jinja_env.list_templates() if not name.startswith(_NOT_WEB)]


def warm_up(app: Flask) -> None:
    """Compile every web template and build the password hasher, in this process."""
    started = time.perf_counter()
    with app.app_context():
        names = web_templates(app)
        for name in names:
            app.jinja_env.get_template(name)
        prepare_hasher()
    log.info("web process ready: %d templates compiled in %.1f s", len(names), time.perf_counter() - started)
