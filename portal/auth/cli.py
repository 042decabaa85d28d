"""`flask users create EMAIL --role admin`: accounts from the command line."""

import sys

import click
from flask.cli import with_appcontext

from portal.auth import services
from portal.auth.models import Role, User
from portal.auth.passwords import MAX_LENGTH, MIN_LENGTH, hash_password
from portal.db import utcnow
from portal.extensions import db

_GLOBAL_ROLES = [role.value for role in Role if role not in (Role.school_staff, Role.programme_staff)]


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


@click.group()
def users():
    """Manage user accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", "roles", multiple=True, type=click.Choice(_GLOBAL_ROLES), default=["supervisor"])
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@with_appcontext
def create_user(email: str, roles: tuple[str, ...], first_name: str, last_name: str):
    """Create a confirmed account; the password is read from stdin, or prompted for on a terminal."""
    if services.find_user(email) is not None:
        raise click.ClickException(f"An account already exists for {email}.")
    password = _read_password()
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise click.ClickException(f"The password must have {MIN_LENGTH} to {MAX_LENGTH} characters.")
    user = User(
        email=services.normalise_email(email),
        password_hash=hash_password(password),
        first_name=first_name,
        last_name=last_name,
        email_confirmed_at=utcnow(),
    )
    db.session.add(user)
    for role in roles:
        services.grant_role(user=user, role=Role(role))
    db.session.commit()
    click.echo(f"Created {user.email} with roles: {', '.join(roles)}")
