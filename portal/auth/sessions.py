"""Signing in and out: a fresh session each time, and server-side invalidation by session version."""

from flask import session
from flask_login import login_user, logout_user

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db, login_manager

# The session key of an account that gave its password and still owes its second-factor code.
PENDING_TWO_FACTOR = "two_factor_pending"
# Keys that survive the reset of the session at sign-in (the visitor's language choice).
_KEPT_KEYS = ("lang",)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Accept the cookie only if it carries the account's current session version."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        version = int(raw_version)
    except (ValueError, TypeError):
        return None
    if user is None or user.session_version != version or user.disabled:
        return None
    return user


def _reset_session() -> None:
    kept = {key: session[key] for key in _KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)


def start_session(user: User, *, remember: bool = False) -> None:
    """Sign the user in on a brand-new session (no fixation: nothing from before is carried over)."""
    chosen_language = session.get("lang")
    _reset_session()
    if chosen_language:
        # Switched just before signing in: that choice is the freshest, keep it on the account.
        user.locale = chosen_language
    session.permanent = True
    login_user(user, remember=remember)
    user.last_sign_in_at = utcnow()


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-me cookie of the account, on every device."""
    user.session_version += 1


def sign_out(user: User) -> None:
    end_all_sessions(user)
    logout_user()
    _reset_session()
