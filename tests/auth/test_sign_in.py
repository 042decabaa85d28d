"""Sign-in, sign-out and sessions that the server can end."""

import os

import pytest
import redis

from portal.auth.models import Role
from portal.extensions import db
from tests import factories
from tests.conftest import FormClient


def _redis_running() -> bool:
    try:
        return redis.Redis(host="localhost", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        return False


GENERIC = "The e-mail or the password is not right."


def test_sign_in_and_out(app_context, client):
    user = factories.user("director@example.org")
    assert client.sign_in(user.email).location == "/"
    assert client.get("/account/profile").status_code == 200
    client.sign_out()
    assert client.get("/account/profile").status_code == 302


def test_wrong_password_and_unknown_address_get_the_same_answer(app_context, client):
    factories.user("director@example.org")
    wrong = client.sign_in("director@example.org", "not the password")
    unknown = client.sign_in("nobody@example.org", "not the password")
    assert GENERIC in wrong.get_data(as_text=True)
    assert GENERIC in unknown.get_data(as_text=True)
    assert wrong.status_code == unknown.status_code == 200


def test_disabled_account_cannot_sign_in(app_context, client):
    factories.user("gone@example.org", disabled=True)
    assert GENERIC in client.sign_in("gone@example.org").get_data(as_text=True)


def test_sign_in_issues_a_fresh_session(app_context, client):
    user = factories.user("director@example.org")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.sign_in(user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_out_ends_the_session_on_the_server_even_for_a_copied_cookie(app, app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    stolen = client.get_cookie("prd_session").value
    client.sign_out()

    thief = FormClient(app.test_client())
    thief.set_cookie("prd_session", stolen)
    assert thief.get("/account/profile").status_code == 302


def test_password_change_ends_other_sessions_and_keeps_this_one(app, app_context, client, other_client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    other_client.sign_in(user.email)
    response = client.submit(
        "/account/password",
        {
            "current_password": factories.PASSWORD,
            "password": "a brand new passphrase",
            "confirm": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/account/profile").status_code == 200
    assert other_client.get("/account/profile").status_code == 302
    assert other_client.sign_in(user.email, "a brand new passphrase").location == "/"


def test_password_change_needs_the_current_password(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    response = client.submit(
        "/account/password",
        {"current_password": "wrong one", "password": "a brand new one", "confirm": "a brand new one"},
    )
    assert "This is not your current password." in response.get_data(as_text=True)


LIMITS = {"SIGN_IN_ACCOUNT_FAILURE_LIMIT": "3 per minute", "SIGN_IN_ADDRESS_FAILURE_LIMIT": "5 per minute"}


@pytest.mark.parametrize(
    "config_overrides",
    [
        LIMITS,
        pytest.param(
            {**LIMITS, "RATELIMIT_STORAGE_URI": "redis://localhost:6379/15"},
            # CI sets REQUIRE_REDIS=1, so there this runs (and fails without Redis) instead of skipping.
            marks=pytest.mark.skipif(
                not os.environ.get("REQUIRE_REDIS") and not _redis_running(),
                reason="no Redis on localhost:6379 (apt-get install redis-server)",
            ),
        ),
    ],
    ids=["memory", "redis"],
)
def test_failed_sign_ins_are_limited_per_account_and_per_address(app_context, client, config_overrides):
    factories.user("director@example.org")
    token = client.token()

    def attempt(email, password="guess"):
        form = {"email": email, "password": password, "csrf_token": token}
        return client.post("/account/sign-in", data=form)

    assert [attempt("Director@example.org ").status_code for _ in range(4)] == [200, 200, 200, 429]
    # The account waits, even with its right password; a refused attempt does not count.
    assert attempt("director@example.org", factories.PASSWORD).status_code == 429
    # The address has spent 3 of its 5 failures on that account.
    assert [attempt("x@example.org").status_code for _ in range(3)] == [200, 200, 429]
    assert "Too many attempts" in attempt("y@example.org").get_data(as_text=True)


def test_a_committee_behind_one_address_signs_in_while_a_guessed_account_is_refused(app, app_context, client):
    members = [factories.user(f"member{n}@example.org") for n in range(30)]
    for _ in range(2):
        for member in members:
            browser = FormClient(app.test_client())  # every browser comes from the same address
            assert browser.sign_in(member.email).location == "/"
    guessed, other = members[0], members[1]
    codes = [client.sign_in(guessed.email, f"guess {n}").status_code for n in range(11)]
    assert codes == [200] * 10 + [429]
    assert client.sign_in(other.email).location == "/"


def test_next_parameter_only_redirects_inside_the_site(app_context, client):
    user = factories.user("director@example.org")
    response = client.submit(
        "/account/sign-in?next=https://evil.example/phish",
        {"email": user.email, "password": factories.PASSWORD},
        page="/account/sign-in",
    )
    assert response.location == "/"
    client.sign_out()
    response = client.submit(
        "/account/sign-in?next=/account/profile",
        {"email": user.email, "password": factories.PASSWORD},
        page="/account/sign-in",
    )
    assert response.location == "/account/profile"


def test_profile_holds_what_the_form_prefills(app_context, client):
    unit = factories.research_unit("UMR7606")
    school = factories.doctoral_school("ED130")
    user = factories.user("director@example.org", Role.supervisor)
    client.sign_in(user.email)
    response = client.submit(
        "/account/profile",
        {
            "last_name": "Lambert",
            "first_name": "Sylvie",
            "title": "Maîtresse de conférences HDR",
            "hdr": "y",
            "address": "4 place Jussieu, Paris",
            "unit-listed": unit.code,
            "doctoral_school": str(school.id),
        },
    )
    assert response.status_code == 302
    db.session.refresh(user)
    assert (user.last_name, user.hdr, user.research_unit, user.doctoral_school) == (
        "Lambert",
        True,
        unit,
        school,
    )


def test_the_profile_takes_a_unit_not_in_the_list_and_checks_its_code(app_context, client):
    factories.research_unit("UMR7606")
    user = factories.user("director@example.org", Role.supervisor)
    client.sign_in(user.email)
    profile = {"last_name": "Lambert", "first_name": "Sylvie", "unit-listed": ""}
    typed = {"unit-acronym": "LCQB", "unit-name": "Biologie computationnelle", "unit-code": "UMR 72 38"}
    response = client.submit("/account/profile", {**profile, **typed})
    html = response.get_data(as_text=True)
    # Refused beside the field, everything typed still there.
    assert response.status_code == 200 and 'id="unit-code-error"' in html
    assert "UMR 7606" in html and 'value="UMR 72 38"' in html and 'value="LCQB"' in html
    response = client.submit("/account/profile", {**profile, **typed, "unit-code": "umr 7238"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.research_unit is None and (user.unit_acronym, user.unit_code) == ("LCQB", "UMR7238")
    # Shown again as typed; the proposal form is pre-filled with it.
    assert 'value="UMR7238"' in client.get("/account/profile").get_data(as_text=True)
    assert user.unit_details == {"acronym": "LCQB", "name": "Biologie computationnelle", "code": "UMR7238"}
