"""`flask reference load FILE`: set up a year's reference data from a JSON or CSV file."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.reference.files import parse_file
from portal.reference.loader import LoadError, load_data
from portal.reference.units_csv import UnitsFileError, load_units_csv


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


@reference.command("load-units")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--code-column", default="code", show_default=True, help="Column of the unit code (UMR7606).")
@click.option("--acronym-column", default="acronym", show_default=True, help="Column of the acronym.")
@click.option("--name-column", default="name", show_default=True, help="Column of the full name.")
@with_appcontext
def load_units(path: Path, code_column: str, acronym_column: str, name_column: str):
    """Create or update research units from a national list in CSV (see docs/reference-data.md)."""
    try:
        text = path.read_bytes().decode("utf-8")
        report = load_units_csv(text, code=code_column, acronym=acronym_column, name=name_column)
    except (UnicodeDecodeError, UnitsFileError) as error:
        db.session.rollback()
        reason = "the file must be encoded in UTF-8" if isinstance(error, UnicodeDecodeError) else error
        raise click.ClickException(f"Nothing was loaded: {reason}") from None
    db.session.commit()
    click.echo(f"Research units: {report.summary()}")
