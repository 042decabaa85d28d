"""Time-based one-time passwords (RFC 6238) and single-use recovery codes."""

import enum
import hashlib
import secrets
import time

import pyotp
import segno

from portal.auth.models import RecoveryCode, User
from portal.auth.secrets_box import seal, unseal
from portal.db import utcnow

RECOVERY_CODE_COUNT = 10
_STEP = 30


class CodeCheck(enum.Enum):
    """What a code typed at sign-in turned out to be: each has its own message."""

    accepted = "accepted"
    wrong = "wrong"
    code_used = "code_used"  # a code of the app that was already used (or an older one)
    recovery_code_used = "recovery_code_used"


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, user: User, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The provisioning URI as an inline SVG (no script, no external request: CSP-friendly)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff")


def _clean(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isalnum()).lower()


def _matching_step(secret: str, code: str, at: float) -> int | None:
    """The time step the code belongs to (now, or one step either side for clock drift)."""
    totp = pyotp.TOTP(secret)
    current = int(at // _STEP)
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.at(step * _STEP), code):
            return step
    return None


def code_matches_secret(secret: str, code: str) -> bool:
    """Used while enrolling, before the secret is stored."""
    return _matching_step(secret, _clean(code), time.time()) is not None


def secret_of(user: User) -> str | None:
    return unseal(user.totp_secret_sealed) if user.totp_secret_sealed else None


def check_code(user: User, code: str) -> CodeCheck:
    """Accept a current code of the app once, or an unused recovery code (then spent)."""
    found = _check_totp(user, code)
    return _check_recovery_code(user, code) if found is CodeCheck.wrong else found


def _check_totp(user: User, code: str) -> CodeCheck:
    secret = secret_of(user)
    step = _matching_step(secret, _clean(code), time.time()) if secret else None
    if step is None:
        return CodeCheck.wrong
    if user.totp_last_step is not None and step <= user.totp_last_step:
        return CodeCheck.code_used
    user.totp_last_step = step
    return CodeCheck.accepted


def _digest(code: str) -> str:
    # A fast hash is enough: the codes are random, and the TOTP secret sits in the same row anyway.
    return hashlib.sha256(code.encode()).hexdigest()


def _check_recovery_code(user: User, code: str) -> CodeCheck:
    cleaned = _clean(code)
    if len(cleaned) != 10:
        return CodeCheck.wrong
    for recovery in user.recovery_codes:
        if secrets.compare_digest(recovery.code_hash, _digest(cleaned)):
            if recovery.used_at is not None:
                return CodeCheck.recovery_code_used
            recovery.used_at = utcnow()
            return CodeCheck.accepted
    return CodeCheck.wrong


def enable(user: User, secret: str) -> list[str]:
    """Turn TOTP on and return fresh recovery codes, shown to the user once."""
    user.totp_secret_sealed = seal(secret)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    return regenerate_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret_sealed = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.recovery_codes.clear()


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes.clear()
    user.recovery_codes.extend(RecoveryCode(code_hash=_digest(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def remaining_recovery_codes(user: User) -> int:
    return sum(1 for code in user.recovery_codes if code.used_at is None)
