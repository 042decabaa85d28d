"""`flask exports zip`: the official PDFs of a call as one ZIP file, rendering those not stored yet."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.exports.bundle import plan, render, zip_chunks
from portal.exports.selection import Filters, selected_ids
from portal.extensions import db


@click.group()
def exports():
    """Exports of the submitted proposals."""


@exports.command("zip")
@click.option("--campaign", type=int, required=True, help="The call's year.")
@click.option("--initiative", help="Only the proposals to this initiative (acronym).")
@click.option(
    "--doctoral-school", "school", help="Only the proposals whose director is of this school (ED130)."
)
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path), required=True)
@with_appcontext
def zip_command(campaign: int, initiative: str | None, school: str | None, out: Path):
    """Write the official PDFs of the submitted proposals to OUT (all of them: no user scope)."""
    filters = Filters(campaign=campaign, initiative=initiative, school=school)
    entries, missing = plan(selected_ids(filters, user=None))
    if missing:
        click.echo(f"Rendering {len(missing)} PDF(s) not stored yet…", err=True)
        render(missing)
    db.session.commit()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with partial.open("wb") as file:
        for chunk in zip_chunks(entries):
            file.write(chunk)
    partial.replace(out)
    click.echo(f"{len(entries)} PDF(s) written to {out}", err=True)
    click.echo(str(out))
