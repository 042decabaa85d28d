"""Self sign-up with e-mail confirmation, without revealing who has an account."""

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.extensions import db
from tests import factories
from tests.conftest import page_text

FORM = {
    "first_name": "Sylvie",
    "last_name": "Lambert",
    "email": "Sylvie.Lambert@Example.org",
    "password": "a long enough secret",
    "confirm": "a long enough secret",
}


def test_sign_up_sends_a_confirmation_link_that_opens_the_account(app_context, client, mailbox):
    response = client.submit("/account/sign-up", FORM)
    # Redirected after the POST: reloading the page sends nothing again.
    assert response.status_code == 303 and response.location == "/account/check-inbox"
    page = client.get(response.location)
    assert "sylvie.lambert@example.org" in page.get_data(as_text=True).lower()
    assert client.get(response.location).status_code == 200
    assert len(mailbox.to("sylvie.lambert@example.org")) == 1

    user = db.session.scalar(select(User).where(User.email == "sylvie.lambert@example.org"))
    assert user.roles == {Role.supervisor}
    assert user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2id$")

    refused = client.sign_in("sylvie.lambert@example.org", "a long enough secret")
    assert refused.status_code == 200  # stays on the sign-in page
    assert client.get("/account/profile").status_code == 302

    link = mailbox.link_in(mailbox.to("sylvie.lambert@example.org")[0])
    # The link proves the address: its first use signs the new supervisor in.
    confirmed = client.get(link)
    assert confirmed.status_code == 302 and confirmed.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Sylvie" in home and "you are signed in" in home
    assert client.get("/account/profile").status_code == 200


def test_confirmation_link_works_once(app_context, client, mailbox):
    client.submit("/account/sign-up", FORM)
    link = mailbox.link_in(mailbox.last_to("sylvie.lambert@example.org"))
    assert client.get(link).status_code == 302
    assert client.get(link).status_code == 400


def test_sign_up_with_a_taken_address_answers_the_same_and_warns_the_owner(app_context, client, mailbox):
    factories.user("sylvie.lambert@example.org")
    fresh = client.submit(
        "/account/sign-up", {**FORM, "email": "new.person@example.org"}, follow_redirects=True
    )
    taken = client.submit("/account/sign-up", FORM, follow_redirects=True)
    assert taken.status_code == fresh.status_code == 200
    assert page_text(taken, "Sylvie.Lambert@Example.org") == page_text(fresh, "new.person@example.org")
    owner_mail = mailbox.last_to("sylvie.lambert@example.org")
    assert "already has one" in mailbox.text(owner_mail)
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 2


def test_bad_input_is_shown_next_to_the_field_and_nothing_typed_is_lost(app_context, client):
    response = client.submit("/account/sign-up", {**FORM, "password": "short", "confirm": "short"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="password-error"' in html
    assert 'aria-describedby="password-help password-error"' in html
    assert 'value="Sylvie"' in html and 'value="Lambert"' in html
    assert 'value="Sylvie.Lambert@Example.org"' in html
    assert db.session.scalar(select(User)) is None


def test_password_equal_to_the_address_is_refused(app_context, client):
    response = client.submit(
        "/account/sign-up", {**FORM, "password": FORM["email"], "confirm": FORM["email"]}
    )
    assert "must not be your e-mail address" in response.get_data(as_text=True)


def test_resend_confirmation_answers_the_same_for_unknown_addresses(app_context, client, mailbox):
    factories.user("pending@example.org", confirmed=False)
    known = client.submit("/account/confirm", {"email": "pending@example.org"}, follow_redirects=True)
    unknown = client.submit("/account/confirm", {"email": "nobody@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert len(mailbox.to("pending@example.org")) == 1
    assert mailbox.to("nobody@example.org") == []


def test_production_hashes_passwords_at_owasps_argon2id_cost():
    from argon2 import Type, extract_parameters

    from config import Config
    from portal import create_app
    from portal.auth.passwords import hash_password

    class Production(Config):
        SECRET_KEY = "x" * 32

    with create_app(Production).app_context():
        parameters = extract_parameters(hash_password("a long enough password"))
    assert parameters.type is Type.ID
    assert (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (2, 19 * 1024, 1)


def test_a_confirmation_link_used_again_or_for_staff_signs_no_one_in(
    app_context, client, other_client, mailbox
):
    staff = factories.user("staff@example.org", Role.school_staff, confirmed=False)
    client.submit("/account/confirm", {"email": staff.email})
    link = mailbox.link_in(mailbox.last_to(staff.email))
    response = client.get(link)
    assert response.status_code == 302 and response.location == "/account/sign-in"
    page = client.get(response.location).get_data(as_text=True)
    assert "Sign in with your password and your second factor." in page
    assert client.get("/account/profile").status_code == 302  # not signed in

    client.submit("/account/sign-up", FORM)
    link = mailbox.link_in(mailbox.last_to("sylvie.lambert@example.org"))
    assert client.get(link).location == "/"
    # The same link once more, from another browser (a forwarded message): no session.
    other_client.get(link)
    assert other_client.get("/account/profile").status_code == 302


def test_the_check_inbox_page_without_a_link_just_sent_leads_to_sign_in(app_context, client):
    response = client.get("/account/check-inbox")
    assert response.status_code == 302 and response.location == "/account/sign-in"
