"""Rate limits of the account pages (docs/security.md, "brute force").

Sign-in and the code page count failures only, once per account and once per client address: a
committee behind one university NAT signs in all day, while a guessed account is refused after a
few wrong passwords wherever they come from. The pages that send an e-mail count every request.
"""

from flask import current_app, g, request, session

from portal.auth.services import normalise_email
from portal.auth.sessions import PENDING_TWO_FACTOR
from portal.extensions import limiter

_FAILED = "auth_attempt_failed"


def count_failure() -> None:
    """Count this request against the failure limits of its page (nothing else counts)."""
    setattr(g, _FAILED, True)


def _failed(response) -> bool:
    return g.get(_FAILED, False)


def _typed_account() -> str:
    # Keyed by what was typed, known account or not: the limit must not tell which addresses exist.
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def _pending_account() -> str:
    pending = session.get(PENDING_TWO_FACTOR) or {}
    return "account:" + str(pending.get("user", "")).partition(":")[0]


def _account_failures() -> str:
    return current_app.config["SIGN_IN_ACCOUNT_FAILURE_LIMIT"]


def _address_failures() -> str:
    return current_app.config["SIGN_IN_ADDRESS_FAILURE_LIMIT"]


def _email_links() -> str:
    return current_app.config["EMAIL_LINK_RATE_LIMIT"]


def _failure_limits(account_key):
    def decorate(view):
        per_address = limiter.limit(_address_failures, methods=["POST"], deduct_when=_failed)
        per_account = limiter.limit(
            _account_failures, key_func=account_key, methods=["POST"], deduct_when=_failed
        )
        return per_account(per_address(view))

    return decorate


#: On sign-in: failed passwords, per e-mail typed and per client address.
sign_in_limited = _failure_limits(_typed_account)
#: On the code page: wrong codes, per account awaiting its code and per client address.
code_limited = _failure_limits(_pending_account)
#: On sign-up, reset and resend-confirmation: every request, per client address (each sends an e-mail).
email_link_limited = limiter.limit(_email_links, methods=["POST"])
