"""Encryption at rest for secrets the portal must read back (the TOTP seeds).

Keys come from TOTP_ENCRYPTION_KEYS (comma-separated Fernet keys: the first encrypts, all decrypt,
so a key can be rotated); without it, one key is derived from SECRET_KEY.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_DERIVATION_INFO = b"prd-portal/totp-secrets"


def derived_key(secret_key: str) -> bytes:
    """A Fernet key from the application's SECRET_KEY, dedicated to this use."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVATION_INFO).derive(
        secret_key.encode()
    )
    return base64.urlsafe_b64encode(raw)


def _box() -> MultiFernet:
    configured = current_app.config.get("TOTP_ENCRYPTION_KEYS") or ""
    keys = [key.strip().encode() for key in configured.split(",") if key.strip()]
    if not keys:
        keys = [derived_key(current_app.config["SECRET_KEY"])]
    return MultiFernet([Fernet(key) for key in keys])


def seal(value: str) -> str:
    return _box().encrypt(value.encode()).decode()


def unseal(token: str) -> str | None:
    """The clear value, or None when no configured key opens it (keys changed without rotation)."""
    try:
        return _box().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
