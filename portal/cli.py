"""Registers the flask commands of every domain."""

from flask import Flask


def register_commands(app: Flask) -> None:
    from portal.auth.cli import users
    from portal.demo.cli import seed_demo_command
    from portal.exports.cli import exports
    from portal.notifications.cli import outbox
    from portal.proposals.cli import proposals
    from portal.reference.cli import reference
    from portal.reviews.cli import reviews

    app.cli.add_command(users)
    app.cli.add_command(reference)
    app.cli.add_command(proposals)
    app.cli.add_command(reviews)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(exports)
    app.cli.add_command(outbox)
