"""The development mailbox (/dev/mail): readable messages with working links, never in production."""

import pytest

from tests.auth.test_sign_up import FORM

DEVELOPMENT = [{"DEV_MAILBOX": True}]


@pytest.mark.parametrize("config_overrides", DEVELOPMENT)
def test_a_newcomer_reads_the_confirmation_and_its_link_works(app_context, client, mailbox, config_overrides):
    client.submit("/account/sign-up", {**FORM, "first_name": "Séverine", "last_name": "Ørsted"})
    mailbox.messages  # noqa: B018 (waits until the message has left)
    listing = client.get("/dev/mail/").get_data(as_text=True)
    assert "sylvie.lambert@example.org" in listing
    path = listing.split('href="/dev/mail/', 1)[1].split('"', 1)[0]
    page = client.get(f"/dev/mail/{path}").get_data(as_text=True)
    # Decoded, not quoted-printable: the accented name as typed, the link whole and clickable.
    assert "Séverine" in page and "=C3=A9" not in page
    link = page.split('<a href="http', 1)[1].split('"', 1)[0]
    assert "=\n" not in link and "/account/confirm/" in link
    confirmed = client.get(link[link.index("/account/") :])
    assert confirmed.status_code == 302 and confirmed.location == "/"


@pytest.mark.parametrize("config_overrides", DEVELOPMENT)
def test_only_this_machine_reads_it(app_context, client, config_overrides):
    client.client.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    assert client.get("/dev/mail/").status_code == 404


def test_production_never_serves_it(app_context, client):
    assert client.get("/dev/mail/").status_code == 404
    assert client.get("/dev/mail/1").status_code == 404
