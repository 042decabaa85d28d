"""The app exactly as wsgi.py builds it, plus one route answering "hello": the bare route that
bench/public.py measures the public pages against. It passes the same WSGI stack and the same
app-wide before- and after-request hooks (security headers, rate limiter, sign-in checks) as every
page, and does nothing else. For benches only: the product has no such route.

    gunicorn 'bench.bare_app:create_bare_app()'
"""

from flask import Flask

from portal import create_app

BARE_PATH = "/bench/hello"
#: gunicorn's application argument: the factory, called as each web process loads the app.
GUNICORN_APP = "bench.bare_app:create_bare_app()"


def create_bare_app() -> Flask:
    """The production app, configured from the environment as wsgi.py does, with the bare route."""
    app = create_app()
    app.add_url_rule(BARE_PATH, "bench_hello", lambda: "hello")
    return app
