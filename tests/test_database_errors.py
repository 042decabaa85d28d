"""The database down or restarting: the portal's own 503 page in the user's language, with a retry
hint, and the first request once it is back succeeds (pooled connections are checked before use)."""

import logging
import os
import subprocess
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.extensions import db
from tests import factories
from tests.conftest import FormClient, make_config
from tests.mailsink import free_port

PAGE = {
    "en": ("The portal is unavailable for a moment", "Try again in a minute."),
    "fr": ("Le portail est indisponible un instant", "Réessayez dans une minute."),
}
RETRY_BUTTON = {"en": "Try again", "fr": "Réessayer"}
on_postgresql = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)"
)


def _assert_unavailable_page(response, language: str) -> None:
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert f'<html lang="{language}">' in html
    assert all(words in html for words in PAGE[language])


@pytest.fixture
def dead_database_app():
    """The portal on a PostgreSQL address where nothing listens, as while the server restarts."""
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/portal?connect_timeout=2"
    app = create_app(make_config(url, 0, PROPAGATE_EXCEPTIONS=False))  # as in production
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_unreachable_database_gets_the_portals_own_page_in_the_users_language(
    dead_database_app, caplog, language
):
    visitor = FormClient(dead_database_app.test_client(), language=language)
    signed_in = FormClient(dead_database_app.test_client(), language=language)
    with signed_in.session_transaction() as session:
        session["_user_id"], session["_fresh"] = "1:0", True  # the account cannot be loaded now
    with caplog.at_level(logging.INFO):
        refused_sign_in = visitor.sign_in("director@example.org")
        profile = signed_in.get("/account/profile")
    _assert_unavailable_page(refused_sign_in, language)
    _assert_unavailable_page(profile, language)
    # A page that was only being read gets a button that asks for it again.
    assert f'href="/account/profile">{RETRY_BUTTON[language]}</a>' in profile.get_data(as_text=True)
    assert not [record for record in caplog.records if record.exc_info], caplog.text
    assert "Database unavailable: connection failed" in caplog.text


def _drop_connections_of(database_url: str) -> int:
    """End every server connection to the test database, as a restart of PostgreSQL does."""
    engine = create_engine(make_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = :name AND pid != pg_backend_pid()"
            ),
            {"name": make_url(database_url).database},
        ).scalar_one()
    engine.dispose()
    return ended


@on_postgresql
def test_the_first_request_after_the_server_dropped_the_connections_succeeds(app, app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    assert client.get("/account/profile").status_code == 200  # the pool now holds a connection
    db.session.close()  # the test's own connection too goes back to the pool, idle between requests
    assert _drop_connections_of(app.config["SQLALCHEMY_DATABASE_URI"]) >= 1
    assert client.get("/account/profile").status_code == 200


def _postgresql(action: str) -> None:
    version = os.listdir("/etc/postgresql")[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True, timeout=60
    )


def _wait_until_ready(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["pg_isready", "-h", "localhost", "-q"], check=False).returncode != 0:
        assert time.monotonic() < deadline, f"PostgreSQL not ready {timeout} s after its start"
        time.sleep(0.2)


@pytest.mark.postgres_restart
@pytest.mark.skipif(
    os.environ.get("PORTAL_TEST_RESTART_POSTGRES") != "1" or not os.environ.get("TEST_DATABASE_URL"),
    reason="stops the local PostgreSQL: set PORTAL_TEST_RESTART_POSTGRES=1 and TEST_DATABASE_URL",
)
def test_while_postgresql_restarts_the_page_says_so_and_the_first_request_after_succeeds(
    app, app_context, client, mail_server
):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    assert client.get("/account/profile").status_code == 200  # this worker's pool holds a connection
    db.session.close()  # the test's own connection too goes back to the pool, idle between requests
    # Another worker process, with a pool of its own, serves a request during the restart.
    config = make_config(app.config["SQLALCHEMY_DATABASE_URI"], mail_server.port, PROPAGATE_EXCEPTIONS=False)
    other_worker = FormClient(create_app(config).test_client())
    other_worker.set_cookie("prd_session", client.get_cookie("prd_session").value)
    try:
        _postgresql("stop")
        _assert_unavailable_page(other_worker.get("/account/profile"), "en")
    finally:
        _postgresql("start")
        _wait_until_ready()
    # The first request of this worker after the restart: its dead pooled connection is replaced.
    assert client.get("/account/profile").status_code == 200
