"""Signed, expiring, single-use links for e-mail confirmation, password reset and invitations.

A token carries a fingerprint of the account state it acts on (the password hash, the confirmation
time). Using the link changes that state, so the same link cannot be used twice.
"""

import hashlib
from datetime import timedelta

from flask import current_app
from flask_babel import format_timedelta
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.auth.models import User
from portal.extensions import db

CONFIRM_EMAIL = "confirm-email"
RESET_PASSWORD = "reset-password"  # noqa: S105 (a token purpose, not a password)
ACCEPT_INVITATION = "accept-invitation"

_MAX_AGE_SETTING = {
    CONFIRM_EMAIL: "EMAIL_CONFIRMATION_MAX_AGE",
    RESET_PASSWORD: "PASSWORD_RESET_MAX_AGE",
    ACCEPT_INVITATION: "INVITATION_MAX_AGE",
}


def lifetime(purpose: str) -> str:
    """How long a link of this purpose works, in words of the current language ("2 hours")."""
    return format_timedelta(current_app.config[_MAX_AGE_SETTING[purpose]], add_direction=False)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"prd-portal/{purpose}")


def _fingerprint(purpose: str, user: User) -> str:
    if purpose == CONFIRM_EMAIL:
        state = f"{user.email}|{user.email_confirmed_at}"
    else:
        state = f"{user.email}|{user.password_hash}|{user.session_version}"
    return hashlib.sha256(state.encode()).hexdigest()[:24]


def make_token(purpose: str, user: User) -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(purpose, user)})


def read_token(purpose: str, token: str) -> User | None:
    """The user the token was made for, or None if it is forged, expired or already used."""
    max_age: timedelta = current_app.config[_MAX_AGE_SETTING[purpose]]
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.disabled or data.get("f") != _fingerprint(purpose, user):
        return None
    return user
