"""Sign-up and forgot-password do the same work whether the address has an account or not, so that
the time of the answer does not tell (bench/auth.py prints the times; no timing here)."""

from collections import Counter

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests import factories

SIGN_UP = {
    "first_name": "Sylvie",
    "last_name": "Lambert",
    "password": "a long enough secret",
    "confirm": "a long enough secret",
}


@pytest.fixture
def argon2_calls(app_context, monkeypatch):
    """How many Argon2 hashes and checks the portal computes (the real hasher still does them)."""
    hash_password("warm up")  # the hash checked for unknown addresses is made once, on first use
    calls = Counter()
    for name in ("hash", "verify"):
        real = getattr(PasswordHasher, name)

        def counting(self, *args, _real=real, _name=name, **kwargs):
            calls[_name] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counting)
    return calls


def _work(client, argon2_calls, path: str, form: dict) -> tuple[int, dict, list[str]]:
    """The status of the answer, the Argon2 work and the e-mails written to the outbox."""
    seen = set(db.session.scalars(select(OutboxMessage.id)))
    argon2_calls.clear()
    response = client.submit(path, form)
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
    return response.status_code, dict(argon2_calls), [row.recipients for row in rows if row.id not in seen]


def test_sign_up_hashes_once_and_writes_one_email_whether_the_address_is_taken_or_not(client, argon2_calls):
    factories.user("taken@example.org")
    taken = _work(client, argon2_calls, "/account/sign-up", {**SIGN_UP, "email": "Taken@example.org"})
    fresh = _work(client, argon2_calls, "/account/sign-up", {**SIGN_UP, "email": "new@example.org"})
    assert taken == (303, {"hash": 1}, ["taken@example.org"])
    assert fresh == (303, {"hash": 1}, ["new@example.org"])


def test_forgot_password_writes_one_email_whatever_the_address(client, argon2_calls):
    factories.user("known@example.org")
    factories.user("gone@example.org", disabled=True)
    works = {
        email: _work(client, argon2_calls, "/account/forgot-password", {"email": email})
        for email in ("known@example.org", "nobody@example.org", "gone@example.org")
    }
    assert works == {email: (303, {}, [email]) for email in works}
