"""Forgot-password links: same answer for every address, single use, expiring, ending sessions."""

from datetime import timedelta

import pytest

from portal.extensions import db
from tests import factories
from tests.conftest import page_text


def _ask_reset(client, email):
    return client.submit("/account/forgot-password", {"email": email}, follow_redirects=True)


def test_reset_link_sets_a_new_password_once_and_ends_sessions(app_context, client, other_client, mailbox):
    user = factories.user("director@example.org")
    other_client.sign_in(user.email)
    _ask_reset(client, user.email)
    message = mailbox.last_to(user.email)
    assert "It works once, for 2 hours" in mailbox.text(message)  # read from PASSWORD_RESET_MAX_AGE
    link = mailbox.link_in(message)

    page = client.get(link)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    done = client.submit(link, {"password": "my new passphrase", "confirm": "my new passphrase"})
    assert done.location == "/account/sign-in"

    assert client.get(link).status_code == 400  # the link is spent
    assert other_client.get("/account/profile").status_code == 302  # the other session is over
    assert client.sign_in(user.email, factories.PASSWORD).status_code == 200  # old password refused
    assert client.sign_in(user.email, "my new passphrase").location == "/"


def test_unknown_address_gets_the_same_answer_and_a_mail_without_a_link(app_context, client, mailbox):
    factories.user("director@example.org")
    known = _ask_reset(client, "director@example.org")
    unknown = _ask_reset(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert page_text(known, "director") == page_text(unknown, "nobody")
    assert [m["To"] for m in mailbox.messages] == ["director@example.org", "nobody@example.org"]
    told = mailbox.text(mailbox.last_to("nobody@example.org"))
    assert "no account in use has this address" in told
    assert "/account/reset/" not in told and "/account/sign-up" in told


def test_a_tampered_link_is_refused(app_context, client, mailbox):
    user = factories.user("director@example.org")
    _ask_reset(client, user.email)
    link = mailbox.link_in(mailbox.last_to(user.email))
    assert client.get(link[:-3] + "abc").status_code == 400


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_RESET_MAX_AGE": timedelta(seconds=-1)}])
def test_an_expired_link_is_refused(app_context, client, mailbox, config_overrides):
    user = factories.user("director@example.org")
    _ask_reset(client, user.email)
    link = mailbox.link_in(mailbox.last_to(user.email))
    response = client.get(link)
    assert response.status_code == 400
    assert "not valid any more" in response.get_data(as_text=True)


def test_reset_form_errors_keep_the_link_usable(app_context, client, mailbox):
    user = factories.user("director@example.org")
    _ask_reset(client, user.email)
    link = mailbox.link_in(mailbox.last_to(user.email))
    response = client.submit(link, {"password": "my new passphrase", "confirm": "something else"})
    assert "The two passwords differ." in response.get_data(as_text=True)
    assert client.submit(link, {"password": "my new passphrase", "confirm": "my new passphrase"}).location
    db.session.refresh(user)
