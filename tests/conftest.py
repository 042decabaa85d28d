"""Fixtures: a real SMTP server, a fresh database per test (SQLite, or PostgreSQL when
TEST_DATABASE_URL is set), the app, a test client that fills CSRF tokens like a browser."""

import contextvars
import os
import re
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestConfig
from portal import create_app
from portal.extensions import db, limiter
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


def _admin_url(url: str):
    return make_url(url).set(drivername="postgresql+psycopg")


def create_database(prefix: str) -> str:
    """A brand-new database: on the PostgreSQL server of TEST_DATABASE_URL, else a SQLite file."""
    base = os.environ.get("TEST_DATABASE_URL")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    if not base:
        directory = os.environ.get("PYTEST_SQLITE_DIR") or "/tmp"
        return f"sqlite:///{directory}/{name}.sqlite3"
    url = _admin_url(base)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and os.path.exists(parsed.database):
            os.remove(parsed.database)
        return
    engine = create_engine(_admin_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    os.environ.setdefault("PYTEST_SQLITE_DIR", str(tmp_path_factory.mktemp("db")))
    url = create_database("prd_test")
    yield url
    drop_database(url)


def make_config(database_url: str, mail_port: int, **overrides) -> type:
    attributes = {"SQLALCHEMY_DATABASE_URI": database_url, "MAIL_PORT": mail_port, **overrides}
    return type("PerTestConfig", (TestConfig,), attributes)


@pytest.fixture
def config_overrides():
    """Tests override settings by parametrising or redefining this fixture."""
    return {}


@pytest.fixture
def app(database_url, mail_server, config_overrides):
    application = create_app(make_config(database_url, mail_server.port, **config_overrides))
    with application.app_context():
        db.create_all()
    limiter.reset()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


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
