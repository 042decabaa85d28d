"""Password hashing with Argon2id, and the rules a new password must meet."""

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context


@functools.cache
def _hasher_with(time_cost: int, memory_cost: int, parallelism: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    # Verified against when the e-mail is unknown, so that a wrong address costs the same time.
    return hasher, hasher.hash("not a real password, only spends the same time")


def _hasher() -> tuple[PasswordHasher, str]:
    """Argon2id with the cost the settings ask for (the tests lower it; production keeps the default)."""
    config = current_app.config if has_app_context() else {}
    default = PasswordHasher()
    return _hasher_with(
        config.get("PASSWORD_HASH_TIME_COST", default.time_cost),
        config.get("PASSWORD_HASH_MEMORY_COST", default.memory_cost),
        config.get("PASSWORD_HASH_PARALLELISM", default.parallelism),
    )


MIN_LENGTH = 10
MAX_LENGTH = 200  # hashing megabytes of "password" would be a cheap denial of service


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; spends the same time when there is no hash."""
    hasher, dummy_hash = _hasher()
    try:
        return hasher.verify(password_hash or dummy_hash, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher()[0].check_needs_rehash(password_hash)
