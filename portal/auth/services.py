"""Account operations: sign-up, confirmation, authentication, passwords, invitations, roles."""

from flask import url_for
from sqlalchemy import func, select

from portal.audit.services import record
from portal.auth import tokens
from portal.auth.models import Role, RoleGrant, User
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.sessions import end_all_sessions
from portal.db import utcnow
from portal.extensions import db
from portal.notifications.mail import send_template
from portal.reference.models import DoctoralSchool, Initiative


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_supervisor(
    *, email: str, password: str, first_name: str, last_name: str, locale: str | None
) -> User | None:
    """Create a supervisor account and send its confirmation link.

    If the address is taken, its owner is told by e-mail instead, and the caller answers the same
    way in both cases, so that sign-up reveals nothing about who has an account. Both ways do the
    same work (one password hash, one e-mail), so that neither does the time of the answer.
    """
    password_hash = hash_password(password)
    existing = find_user(email)
    if existing is not None:
        send_template(
            to=existing.email,
            template="account_exists",
            locale=existing.locale or locale,
            user=existing,
            sign_in_url=url_for("auth.sign_in", _external=True),
            reset_url=url_for("auth.forgot_password", _external=True),
        )
        return None
    user = User(
        email=normalise_email(email),
        password_hash=password_hash,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        locale=locale,
    )
    user.grants.append(RoleGrant(role=Role.supervisor))
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = tokens.make_token(tokens.CONFIRM_EMAIL, user)
    send_template(
        to=user.email,
        template="confirm_email",
        locale=user.locale,
        user=user,
        url=url_for("auth.confirm_email", token=token, _external=True),
    )


def confirm_email(user: User) -> None:
    user.email_confirmed_at = utcnow()


def authenticate(*, email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None (same cost either way)."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user.disabled:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def request_password_reset(*, email: str) -> None:
    """E-mail a reset link to the account, or say to the address that it has no account in use.

    The caller's answer is the same either way, and so is the work (one e-mail), so that neither
    the page nor its time tells whether the address has an account.
    """
    user = find_user(email)
    if user is None or user.disabled:
        address = user.email if user else normalise_email(email)
        send_template(
            to=address,
            template="reset_no_account",
            locale=user.locale if user else None,
            email=address,
            sign_up_url=url_for("auth.sign_up", _external=True),
        )
        return
    token = tokens.make_token(tokens.RESET_PASSWORD, user)
    send_template(
        to=user.email,
        template="reset_password",
        locale=user.locale,
        user=user,
        url=url_for("auth.reset_password", token=token, _external=True),
    )


def set_password(*, user: User, password: str) -> None:
    """Set a new password and end every session of the account."""
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    if user.email_confirmed_at is None:
        # The link that led here was sent to this address, which proves it.
        user.email_confirmed_at = utcnow()


def invite_user(
    *, email: str, first_name: str, last_name: str, role: Role, scope=None, invited_by: User
) -> User:
    """Create an account without a password and e-mail the link that sets it."""
    user = find_user(email)
    if user is None:
        user = User(
            email=normalise_email(email),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            locale=invited_by.locale,
        )
        db.session.add(user)
    grant_role(user=user, role=role, scope=scope)
    db.session.flush()
    send_invitation(user=user, invited_by=invited_by)
    return user


def send_invitation(*, user: User, invited_by: User) -> None:
    if user.has_password:
        template, url = "role_granted", url_for("auth.sign_in", _external=True)
    else:
        token = tokens.make_token(tokens.ACCEPT_INVITATION, user)
        template = "invitation"
        url = url_for("auth.accept_invitation", token=token, _external=True)
    send_template(
        to=user.email, template=template, locale=user.locale, user=user, inviter=invited_by, url=url
    )


def _split_scope(role: Role, scope) -> tuple[DoctoralSchool | None, Initiative | None]:
    school = scope if isinstance(scope, DoctoralSchool) else None
    initiative = scope if isinstance(scope, Initiative) else None
    if (role is Role.school_staff) != (school is not None):
        raise ValueError("school staff need a doctoral school, and only they do")
    if (role is Role.programme_staff) != (initiative is not None):
        raise ValueError("programme staff need an initiative, and only they do")
    return school, initiative


def find_grant(*, user: User, role: Role, scope=None) -> RoleGrant | None:
    """The user's grant of this role over this scope, if they hold it."""
    school, initiative = _split_scope(role, scope)
    for grant in user.grants:
        if grant.role is role and grant.doctoral_school is school and grant.initiative is initiative:
            return grant
    return None


def grant_role(*, user: User, role: Role, scope=None) -> RoleGrant:
    """Give a role (idempotent); staff roles need the doctoral school or initiative they cover."""
    existing = find_grant(user=user, role=role, scope=scope)
    if existing is not None:
        return existing
    school, initiative = _split_scope(role, scope)
    grant = RoleGrant(role=role, doctoral_school=school, initiative=initiative)
    user.grants.append(grant)
    record("role.granted", obj=user, role=role, scope=_scope_label(grant))
    return grant


def revoke_role(*, user: User, grant: RoleGrant) -> None:
    user.grants.remove(grant)
    record("role.revoked", obj=user, role=grant.role, scope=_scope_label(grant))


def _scope_label(grant: RoleGrant) -> str | None:
    if grant.doctoral_school is not None:
        return grant.doctoral_school.number
    return grant.initiative.acronym if grant.initiative is not None else None
