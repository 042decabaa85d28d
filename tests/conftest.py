"""Fixtures: a real SMTP server, one database per worker (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set) with its schema built once, one app per set of settings, a test client
that fills CSRF tokens like a browser.

Each test that uses `app` finds every table empty and leaves them emptied (tests/databases.py): its
commits are real, so requests, the outbox's delivery after commit and background threads see them.
"""

import contextvars
import re
from collections.abc import Callable

import pytest
from flask import Flask

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
from tests.celery_worker import in_process_worker
from tests.databases import Emptier, build_schema, create_database, drop_database, worker
from tests.mailsink import MailSink

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture(scope="session")
def mail_server():
    sink = MailSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def mailbox(mail_server):
    mail_server.clear()
    return mail_server


@pytest.fixture(scope="session")
def database_url():
    """This worker's database, with the models' tables, empty."""
    url = create_database(f"prd_test_{worker()}")
    build_schema(url)
    yield url
    drop_database(url)


def make_config(database_url: str, mail_port: int, **overrides) -> type:
    attributes = {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_PORT": mail_port}
    if database_url.startswith("postgresql"):
        # A commit need not wait for the disk (the tests need no durability): 2.7–9.8 ms became 1.6.
        attributes["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **TestConfig.SQLALCHEMY_ENGINE_OPTIONS,
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    return type("PerTestConfig", (TestConfig,), {**attributes, **overrides})


@pytest.fixture
def config_overrides():
    """Tests override settings by parametrising or redefining this fixture."""
    return {}


class Apps:
    """One app per set of settings, made on first use: create_app costs 0.05 to 0.4 s."""

    def __init__(self, database_url: str, mail_port: int):
        self.database_url = database_url
        self.mail_port = mail_port
        self.made: dict[str, Flask] = {}
        self.emptiers: dict[str, Emptier] = {}

    def get(self, overrides: dict):
        key = repr(sorted(overrides.items()))
        if key not in self.made:
            application = create_app(make_config(self.database_url, self.mail_port, **overrides))
            with application.app_context():
                self.emptiers[key] = Emptier(db.engine)
            self.made[key] = application
        return self.made[key], self.emptiers[key]

    def close(self) -> None:
        for application in self.made.values():
            with application.app_context():
                db.engine.dispose()


@pytest.fixture(scope="session")
def apps(database_url, mail_server):
    made = Apps(database_url, mail_server.port)
    first, _emptier = made.get({})
    with in_process_worker(first) as worker_thread:
        made.task_worker = worker_thread
        # Reading the mailbox waits for the tasks that deliver the messages.
        mail_server.settle = worker_thread.wait_idle
        yield made
        mail_server.settle = None
    made.close()


@pytest.fixture
def task_worker(app, apps):
    """The worker that runs this test's tasks; `task_worker.wait_idle()` waits for them."""
    return apps.task_worker


def open_app(apps: Apps, overrides: dict) -> tuple[Flask, Callable[[], None]]:
    """The app for these settings, its rate limits cleared; returns it and a function that puts the
    app back as it was (its settings, its empty tables)."""
    application, emptier = apps.get(overrides)
    # The limiter is one object for all apps: init_app points it at a fresh storage of this app's.
    limiter.init_app(application)
    limiter.reset()
    settings = dict(application.config)
    apps.task_worker.serve(application)

    def close():
        # The test's tasks finish in its own app, before its tables are emptied.
        apps.task_worker.wait_idle()
        apps.task_worker.purge()
        with application.app_context():
            emptier(db.engine)
        # Tests may change a setting on the app itself.
        application.config.clear()
        application.config.update(settings)

    return application, close


@pytest.fixture
def app(apps, config_overrides):
    application, close = open_app(apps, config_overrides)
    yield application
    close()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


def page_text(response, *replace: str) -> str:
    """The page without its CSRF token (it changes every second), the given strings blanked."""
    html = TOKEN.sub('name="csrf_token" value=""', response.get_data(as_text=True))
    for blanked in replace:
        html = html.replace(blanked, "X")
    return html


class FormClient:
    """Wraps Flask's test client: `submit` reads the CSRF token from a page, as a browser would.

    Each request runs in an empty context, so that it gets its own application context (its own
    `g` and database session) even while the test holds one to build data, as in production.
    """

    _ISOLATED = {"open", "get", "post", "put", "delete", "patch", "head", "options"}

    def __init__(self, client, language: str = "en"):
        self.client = client
        # The assertions read English; tests of French set the language explicitly.
        self.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language

    def __getattr__(self, name):
        attribute = getattr(self.client, name)
        if name in self._ISOLATED:
            return lambda *args, **kwargs: contextvars.Context().run(attribute, *args, **kwargs)
        return attribute

    def token(self, page: str = "/account/sign-in") -> str:
        html = self.get(page).get_data(as_text=True)
        match = TOKEN.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def submit(self, path: str, data: dict | None = None, page: str | None = None, **kwargs):
        form = dict(data or {})
        form.setdefault("csrf_token", self.token(page or path))
        return self.post(path, data=form, **kwargs)

    def sign_in(self, email: str, password: str = "correct horse battery", **kwargs):
        return self.submit("/account/sign-in", {"email": email, "password": password}, **kwargs)

    def sign_in_user(self, user, password: str = "correct horse battery"):
        """Sign in through every step, the second factor included; returns the last response."""
        from tests.factories import fresh_code

        response = self.sign_in(user.email, password)
        if response.status_code == 302 and response.location.endswith("/account/two-factor"):
            response = self.submit("/account/two-factor", {"code": fresh_code(user)})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def sign_out(self):
        return self.submit("/account/sign-out", page="/")


@pytest.fixture
def client(app):
    return FormClient(app.test_client())


@pytest.fixture
def other_client(app):
    """A second browser."""
    return FormClient(app.test_client())


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def committee(app_context):
    """The committee of the SCAI initiative in the AAP 2021 call, with its default rubric."""
    from portal.reviews.services import committee_of
    from tests import factories

    target = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(target)
    db.session.commit()
    row = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    return row
