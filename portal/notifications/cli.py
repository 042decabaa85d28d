"""`flask outbox run [--once]`: the worker that sends what the outbox still holds."""

import time

import click
from flask.cli import with_appcontext

from portal.notifications.outbox import deliver_due


@click.group()
def outbox():
    """The e-mail outbox."""


@outbox.command("run")
@click.option("--once", is_flag=True, help="Send what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between two passes.")
@with_appcontext
def run_command(once: bool, interval: float):
    """Send pending e-mails whose time has come, retrying failures with back-off."""
    while True:
        sent, missed = deliver_due()
        if sent or missed or once:
            click.echo(f"{sent} e-mail(s) sent, {missed} to retry or failed.")
        if once:
            return
        time.sleep(interval)
