"""Password hashing with Argon2id, and the rules a new password must meet."""

import functools
import threading

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context


@functools.cache
def _hasher_with(time_cost: int, memory_cost: int, parallelism: int) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
    # Verified against when the e-mail is unknown, so that a wrong address costs the same time.
    return hasher, hasher.hash("not a real password, only spends the same time")


# OWASP's Argon2id profile for servers (Password Storage Cheat Sheet): 19 MiB, 2 passes, 1 lane.
# argon2-cffi's default (64 MiB, 3 passes, 4 lanes) costs 216 ms of both cores here per sign-in,
# and the deadline's sign-ins then starve everything else (docs/security.md, "Passwords").
TIME_COST, MEMORY_COST_KIB, PARALLELISM = 2, 19 * 1024, 1


# The first sign-ins of a new web process arrive together: without the lock each of its threads
# would hash the dummy password, 37 ms of processor apiece, while the others wait.
_HASHER_LOCK = threading.Lock()


def _hasher() -> tuple[PasswordHasher, str]:
    """Argon2id with the cost the settings ask for (the tests lower it)."""
    config = current_app.config if has_app_context() else {}
    with _HASHER_LOCK:
        return _hasher_with(
            config.get("PASSWORD_HASH_TIME_COST", TIME_COST),
            config.get("PASSWORD_HASH_MEMORY_COST", MEMORY_COST_KIB),
            config.get("PASSWORD_HASH_PARALLELISM", PARALLELISM),
        )


def prepare_hasher() -> None:
    """Build the hasher and its dummy hash now (a web process, before its first request)."""
    _hasher()


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
