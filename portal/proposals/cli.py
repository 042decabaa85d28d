"""`flask proposals import|export|pdf`: proposals as `prd/1` files and official PDFs (docs/interchange.md)."""

import json
from pathlib import Path

import click
from flask.cli import with_appcontext

from portal.extensions import db
from portal.proposals.interchange import ImportRefused, export_document, import_document
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.printing import official_pdf


@click.group()
def proposals():
    """Proposals: import and export prd/1 files, print official PDFs."""


def _proposal(proposal_id: int) -> Proposal:
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise click.ClickException(f"There is no proposal {proposal_id}.")
    return proposal


@proposals.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--submit", is_flag=True, help="Submit the proposal too, under the call's rules.")
@with_appcontext
def import_command(path: Path, submit: bool):
    """Create a proposal from the prd/1 file PATH and print its id; all or nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise click.ClickException(f"{path.name} is not a UTF-8 JSON file: {error}") from None
    try:
        proposal = import_document(data, submit=submit)
    except ImportRefused as refused:
        db.session.rollback()
        click.echo(f"Error: nothing was imported from {path.name}:", err=True)
        for problem in refused.problems:
            click.echo(str(problem), err=True)
        raise click.exceptions.Exit(1) from None
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    click.echo(f"{proposal.state.value}, owned by {proposal.owner.email}", err=True)
    click.echo(proposal.id)


@proposals.command("export")
@click.argument("proposal_id", type=int)
@click.option(
    "--revision", "number", type=int, help="Export this revision number instead of the current content."
)
@with_appcontext
def export_command(proposal_id: int, number: int | None):
    """Print the prd/1 document of proposal PROPOSAL_ID."""
    proposal = _proposal(proposal_id)
    revision = None
    if number is not None:
        revision = next((item for item in proposal.revisions if item.number == number), None)
        if revision is None:
            raise click.ClickException(f"Proposal {proposal_id} has no revision {number}.")
    document = export_document(proposal, revision=revision)
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@proposals.command("pdf")
@click.argument("proposal_id", type=int)
@click.option(
    "--out",
    "directory",
    type=click.Path(file_okay=False, writable=True, path_type=Path),
    default=".",
    show_default=True,
    help="The directory to write the file in (created if missing).",
)
@with_appcontext
def pdf_command(proposal_id: int, directory: Path):
    """Write the official PDF of PROPOSAL_ID under its official name and print its path.

    A submitted proposal gives its submitted version (the stored PDF); any other, its current content.
    """
    proposal = _proposal(proposal_id)
    submitted = proposal.submitted_revision if proposal.state is ProposalState.submitted else None
    if submitted is not None:
        filename, data = official_pdf(proposal, submitted.content, store=True)
    else:
        filename, data = official_pdf(proposal, proposal.content, store=False)
    db.session.commit()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / filename
    target.write_bytes(data)
    click.echo(str(target))
