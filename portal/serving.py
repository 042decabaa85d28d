"""A web process made ready before its first request (gunicorn.conf.py calls `warm_up`).

At the deadline the first requests of a new process arrive together, dozens of threads at once:
each would compile the sign-in and edit pages' templates for itself (Jinja does not share a
compilation in progress), and each sign-in would build the password hasher. Done once before
serving, they cost a second at start instead of seconds for the first directors.
"""

from flask import Flask

from portal.auth.passwords import prepare_hasher

#: The print templates have their own environment and filters (portal/documents/pdf.py), used by
#: the workers only.
_NOT_WEB = ("print/",)


def web_templates(app: Flask) -> list[str]:
    return [name for name in app.jinja_env.list_templates() if not name.startswith(_NOT_WEB)]


def warm_up(app: Flask) -> None:
    """Compile every web template and build the password hasher, in this process."""
    with app.app_context():
        for name in web_templates(app):
            app.jinja_env.get_template(name)
        prepare_hasher()
