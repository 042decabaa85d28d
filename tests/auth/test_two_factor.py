"""TOTP two-factor sign-in: enrolment, the second step, replay, recovery codes, staff requirement."""

import re

import pyotp
import pytest

from portal.auth import totp
from portal.auth.models import Role
from portal.extensions import db
from tests import factories


def _enrol(client) -> list[str]:
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.submit("/account/two-factor/setup", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    return re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", response.get_data(as_text=True))


def test_enrolment_then_sign_in_asks_for_the_code(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    codes = _enrol(client)
    assert len(codes) == 10
    client.sign_out()

    response = client.sign_in(user.email)
    assert response.location == "/account/two-factor"
    assert client.get("/account/profile").status_code == 302  # not signed in yet
    wrong = client.submit("/account/two-factor", {"code": "000000"})
    assert "This code is not valid" in wrong.get_data(as_text=True)
    ok = client.submit("/account/two-factor", {"code": factories.fresh_code(user)})
    assert ok.location == "/"
    assert client.get("/account/profile").status_code == 200


def test_enrolment_refuses_a_wrong_code(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    response = client.submit("/account/two-factor/setup", {"code": "123456"})
    assert "This code is not valid" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert not user.two_factor_enabled


def test_a_code_cannot_be_used_twice(app_context, client, other_client):
    user = factories.user("director@example.org", two_factor=True)
    code = factories.fresh_code(user)
    client.sign_in(user.email)
    assert client.submit("/account/two-factor", {"code": code}).location == "/"
    other_client.sign_in(user.email)
    replay = other_client.submit("/account/two-factor", {"code": code})
    assert replay.status_code == 200
    assert "This code was already used." in replay.get_data(as_text=True)
    assert "clock" not in replay.get_data(as_text=True)


def test_recovery_codes_work_once(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    codes = _enrol(client)
    client.sign_out()

    client.sign_in(user.email)
    assert client.submit("/account/two-factor", {"code": codes[0]}).location == "/"
    client.sign_out()
    client.sign_in(user.email)
    reused = client.submit("/account/two-factor", {"code": codes[0]})
    assert "This recovery code was already used" in reused.get_data(as_text=True)
    assert "clock" not in reused.get_data(as_text=True)
    assert client.submit("/account/two-factor", {"code": codes[1].upper()}).location == "/"


def test_second_step_without_a_password_step_goes_back_to_sign_in(app_context, client):
    assert client.get("/account/two-factor").location == "/account/sign-in"


def test_staff_must_enrol_before_anything_else(app_context, client):
    staff = factories.user("staff@example.org", Role.school_staff)
    assert client.sign_in(staff.email).location == "/"
    assert client.get("/").location == "/account/two-factor/setup"
    assert client.get("/account/profile").location == "/account/two-factor/setup"
    _enrol(client)
    assert client.get("/").status_code == 200


def test_staff_cannot_turn_two_factor_off(app_context, client):
    staff = factories.user("staff@example.org", Role.admin, two_factor=True)
    client.sign_in_user(staff)
    client.submit("/account/two-factor/disable", {"password": factories.PASSWORD}, page="/account/security")
    db.session.refresh(staff)
    assert staff.two_factor_enabled


def test_a_supervisor_can_turn_it_off_with_the_password(app_context, client):
    user = factories.user("director@example.org", two_factor=True)
    client.sign_in_user(user)
    client.submit("/account/two-factor/disable", {"password": "wrong"}, page="/account/security")
    db.session.refresh(user)
    assert user.two_factor_enabled
    client.submit("/account/two-factor/disable", {"password": factories.PASSWORD}, page="/account/security")
    db.session.refresh(user)
    assert not user.two_factor_enabled


def test_new_recovery_codes_replace_the_old_ones(app_context, client):
    user = factories.user("director@example.org")
    client.sign_in(user.email)
    old = _enrol(client)
    page = client.submit("/account/two-factor/recovery-codes", page="/account/security")
    new = re.findall(r"<li>([0-9a-f]{5}-[0-9a-f]{5})</li>", page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    client.sign_out()
    client.sign_in(user.email)
    assert "not valid" in client.submit("/account/two-factor", {"code": old[0]}).get_data(as_text=True)


def test_seeds_are_encrypted_at_rest_and_keys_can_rotate(app, app_context, client):
    from cryptography.fernet import Fernet

    from portal.auth.secrets_box import derived_key

    user = factories.user("director@example.org", two_factor=True)
    stored = db.session.execute(db.text("SELECT totp_secret_sealed FROM users")).scalar()
    seed = totp.secret_of(user)
    assert seed and seed not in stored

    # A new key first, the old (derived) one kept for reading: existing devices keep working.
    old = derived_key(app.config["SECRET_KEY"]).decode()
    app.config["TOTP_ENCRYPTION_KEYS"] = f"{Fernet.generate_key().decode()},{old}"
    client.sign_in(user.email)
    assert client.submit("/account/two-factor", {"code": factories.fresh_code(user)}).location == "/"

    # Without the key that sealed it, the seed cannot be read and no code is accepted.
    app.config["TOTP_ENCRYPTION_KEYS"] = Fernet.generate_key().decode()
    assert totp.secret_of(user) is None


@pytest.mark.parametrize(
    "config_overrides",
    [{"SIGN_IN_ACCOUNT_FAILURE_LIMIT": "3 per minute", "SIGN_IN_ADDRESS_FAILURE_LIMIT": "10 per minute"}],
)
def test_wrong_codes_are_limited_per_account(app_context, client, other_client, config_overrides):
    guessed = factories.user("director@example.org", two_factor=True)
    other = factories.user("other@example.org", two_factor=True)
    client.sign_in(guessed.email)
    codes = [client.submit("/account/two-factor", {"code": "000000"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.submit("/account/two-factor", {"code": factories.fresh_code(guessed)}).status_code == 429
    other_client.sign_in(other.email)  # same address, another account
    assert other_client.submit("/account/two-factor", {"code": factories.fresh_code(other)}).location == "/"


@pytest.mark.parametrize("config_overrides", [{"TWO_FACTOR_ENFORCED": False}])
def test_where_it_is_not_enforced_the_setup_page_does_not_say_it_is_required(
    app_context, client, config_overrides
):
    staff = factories.user("staff@example.org", Role.school_staff)
    client.sign_in(staff.email)
    assert client.get("/").status_code == 200  # not sent to enrolment
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "requires a second factor: set it up to continue" not in page
    assert "This installation does not enforce it" in page
    _enrol(client)
    assert "it cannot be turned off" not in client.get("/account/security").get_data(as_text=True)
    client.submit("/account/two-factor/disable", {"password": factories.PASSWORD}, page="/account/security")
    db.session.refresh(staff)
    assert not staff.two_factor_enabled


def test_where_it_is_enforced_the_setup_page_says_the_role_requires_it(app_context, client):
    staff = factories.user("staff@example.org", Role.school_staff)
    client.sign_in(staff.email)
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "Your role in the programme requires a second factor: set it up to continue." in page
    assert "does not enforce" not in page
