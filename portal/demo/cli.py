"""`flask seed-demo`: the demo data, created once and left alone afterwards."""

import click
from flask.cli import with_appcontext

from portal.demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo
from portal.extensions import db


@click.command("seed-demo")
@click.option("--logins-only", is_flag=True, help="Only print the demo logins.")
@with_appcontext
def seed_demo_command(logins_only: bool):
    """Create the demo campaigns, reference data and one account per role (idempotent)."""
    if not logins_only:
        seed_demo()
        db.session.commit()
    click.echo(f"Demo data ready. Sign in with any of these (password: {DEMO_PASSWORD}):")
    for account in DEMO_ACCOUNTS:
        roles = ", ".join(f"{role.value} ({key})" if key else role.value for role, key in account.roles)
        click.echo(f"  {account.email:<24} {roles}")
