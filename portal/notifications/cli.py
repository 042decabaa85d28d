"""`flask outbox sweep`: send now what the outbox holds and is due (the scheduler does it every
OUTBOX_SWEEP_SECONDS; this is for an administrator who will not wait)."""

import click
from flask.cli import with_appcontext

from portal.notifications.outbox import deliver_due


@click.group()
def outbox():
    """The e-mail outbox."""


@outbox.command("sweep")
@with_appcontext
def sweep_command():
    """Send pending e-mails whose time has come, once."""
    sent, missed = deliver_due()
    click.echo(f"{sent} e-mail(s) sent, {missed} to retry or failed.")
