"""`flask reference load FILE`: set up a year's reference data from a JSON or CSV file."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.reference.files import parse_file
from portal.reference.loader import LoadError, load_data


@click.group()
def reference():
    """Reference data: campaigns, initiatives, doctoral schools, research units."""


@reference.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def load(path: Path):
    """Create or update reference data from PATH (.json or .csv; see docs/reference-data.md)."""
    try:
        report = load_data(parse_file(path.name, path.read_bytes()))
    except LoadError as error:
        db.session.rollback()
        raise click.ClickException(f"Nothing was loaded: {error}") from None
    db.session.commit()
    click.echo(report.summary())
