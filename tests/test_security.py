"""Headers on every response, cookies, CSRF tokens that refresh and failures that keep the input."""

import logging
import re

import pytest

from tests import factories


def test_security_headers_on_every_response(client):
    for path in ("/", "/account/sign-in", "/no-such-page", "/static/css/portal.css"):
        headers = client.get(path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "Strict-Transport-Security" not in headers  # plain http: no HSTS


def test_hsts_when_served_over_https(app):
    response = app.test_client().get("/", base_url="https://portal.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_pages_carry_no_inline_script(client):
    html = client.get("/account/sign-in").get_data(as_text=True)
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert " on" not in " ".join(re.findall(r"<[^>]+ on[a-z]+=", html))


def test_session_cookie_flags(app_context, client):
    user = factories.user("director@example.org")
    response = client.sign_in(user.email)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("prd_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure():
    from config import Config

    assert Config.SESSION_COOKIE_SECURE and Config.REMEMBER_COOKIE_SECURE


def test_a_stale_csrf_token_shows_the_form_again_with_everything_typed(app_context, client):
    form = {
        "first_name": "Sylvie",
        "last_name": "Lambert",
        "email": "sylvie@example.org",
        "password": "a long enough secret",
        "confirm": "a long enough secret",
        "csrf_token": "stale-token",
    }
    response = client.post("/account/sign-up", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="csrf-error"' in html
    assert 'value="Sylvie"' in html and 'value="sylvie@example.org"' in html
    fresh = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert client.post("/account/sign-up", data={**form, "csrf_token": fresh}).status_code == 303


def test_csrf_token_endpoint_gives_a_token_the_forms_accept(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    response = client.get("/account/csrf-token")
    assert response.headers["Cache-Control"] == "no-store"
    token = response.get_json()["token"]
    assert client.post("/account/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/account/profile").status_code == 302


def test_a_post_without_a_form_and_a_bad_token_is_refused(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    response = client.post("/account/sign-out", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert client.get("/account/profile").status_code == 200  # still signed in


def test_language_switch_is_remembered_and_unknown_languages_refused(app_context, client):
    user = factories.user("director@example.org")
    assert client.submit("/language", {"language": "de"}, page="/").status_code == 400
    client.submit("/language", {"language": "en"}, page="/")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    client.sign_in(user.email)
    client.submit("/language", {"language": "fr"}, page="/")
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    from portal.extensions import db

    db.session.refresh(user)
    assert user.locale == "fr"


def test_accept_language_decides_for_a_first_visit(client):
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en"}).get_data(
        as_text=True
    )
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)


def test_oversized_upload_is_refused_with_a_clear_page(app_context, client):
    response = client.post("/account/sign-in", data={"x": "y" * (17 * 1024 * 1024)})
    assert response.status_code == 413


def test_language_chosen_before_sign_in_wins_over_the_saved_one(app_context, client):
    user = factories.user("director@example.org", locale="en")
    client.submit("/language", {"language": "fr"}, page="/")
    client.sign_in(user.email)
    assert '<html lang="fr">' in client.get("/").get_data(as_text=True)
    from portal.extensions import db

    db.session.refresh(user)
    assert user.locale == "fr"


@pytest.mark.parametrize(
    "config_overrides", [{"SIGN_IN_ACCOUNT_FAILURE_LIMIT": "2 per minute", "PROPAGATE_EXCEPTIONS": False}]
)
def test_a_bad_token_once_the_limit_is_reached_gets_the_429_page_and_no_traceback(
    app_context, client, caplog, config_overrides
):
    factories.user("director@example.org")
    for _ in range(2):
        client.sign_in("director@example.org", "a wrong guess")
    form = {"email": "director@example.org", "password": "another guess"}
    with caplog.at_level(logging.INFO):
        missing = client.post("/account/sign-in", data=form)
        forged = client.post("/account/sign-in", data={**form, "csrf_token": "forged"})
    for response in (missing, forged):
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)
    assert not [r for r in caplog.records if r.exc_info], caplog.text
    assert "Traceback" not in caplog.text
