"""`flask reviews assign|remind`: automatic assignment of a committee, reminders to reviewers."""

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.reference.models import Campaign, Initiative
from portal.reviews.assignment_plan import apply_plan, plan_assignments
from portal.reviews.models import Assignment, Committee
from portal.reviews.reminders import reviews_not_open, send_reminders


@click.group()
def reviews():
    """Committee review: assign proposals to reviewers, remind reviewers."""


def _committee(year: int, acronym: str) -> Committee:
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == year))
    initiative = db.session.scalar(select(Initiative).where(Initiative.acronym.ilike(acronym)))
    committee = (
        db.session.scalar(
            select(Committee).where(
                Committee.campaign_id == campaign.id, Committee.initiative_id == initiative.id
            )
        )
        if campaign and initiative
        else None
    )
    if committee is None:
        raise click.ClickException(f"There is no committee for {acronym} in the {year} campaign.")
    return committee


@reviews.command("assign")
@click.option("--campaign", "year", type=int, required=True, help="The campaign's year.")
@click.option("--initiative", "acronym", required=True, help="The initiative's acronym.")
@click.option("--per-proposal", type=click.IntRange(1, 10), default=2, show_default=True)
@click.option("--dry-run", is_flag=True, help="Print the plan and save nothing.")
@click.option("--by", "email", help="The member of staff recorded as having assigned (an e-mail).")
@with_appcontext
def assign_command(year: int, acronym: str, per_proposal: int, dry_run: bool, email: str | None):
    """Give each submitted proposal PER_PROPOSAL reviewers, without conflicts, loads balanced."""
    committee = _committee(year, acronym)
    if not committee.members:
        raise click.ClickException(f"The committee {committee} has no members yet.")
    by = None
    if email:
        by = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if by is None:
            raise click.ClickException(f"There is no account for {email}.")
    plan = plan_assignments(committee, per_proposal=per_proposal)
    for item in plan.assignments:
        bid = f" ({item.preference.value})" if item.preference else ""
        click.echo(f"#{item.proposal.id}\t{item.reviewer.email}{bid}\t{item.proposal.title}")
    for proposal_id, missing in sorted(plan.short.items()):
        click.echo(f"Warning: proposal #{proposal_id} lacks {missing} reviewer(s).", err=True)
    click.echo("Loads: " + ", ".join(f"{m.user.email} {plan.loads[m.user_id]}" for m in committee.members))
    if dry_run:
        click.echo(f"Dry run: {len(plan.assignments)} assignment(s) planned, nothing saved.")
        return
    count = apply_plan(plan, assigned_by=by) if by else _apply_anonymous(plan)
    db.session.commit()
    click.echo(f"{count} assignment(s) saved.")


def _apply_anonymous(plan) -> int:
    # apply_plan records who assigned; from the command line without --by, nobody is recorded.
    for item in plan.assignments:
        db.session.add(Assignment(proposal=item.proposal, reviewer=item.reviewer, assigned_by_id=None))
    db.session.flush()
    return len(plan.assignments)


@reviews.command("remind")
@click.option("--campaign", "year", type=int, required=True, help="The campaign's year.")
@click.option(
    "--initiative", "acronym", help="One initiative's committee only (all of the campaign by default)."
)
@click.option(
    "--base-url",
    envvar="PORTAL_BASE_URL",
    default="http://localhost:5000",
    show_default=True,
    help="The portal's address, for the link in the e-mail (or PORTAL_BASE_URL).",
)
@with_appcontext
def remind_command(year: int, acronym: str | None, base_url: str):
    """E-mail every reviewer who has reviews still to submit, in committees whose reviews are open."""
    if acronym:
        committees = [_committee(year, acronym)]
    else:
        committees = list(db.session.scalars(select(Committee).join(Campaign).where(Campaign.year == year)))
    sent = 0
    with current_app.test_request_context("/", base_url=base_url):
        for committee in committees:
            with force_locale("en"):  # the console's lines are English, as the rest of the command
                why = reviews_not_open(committee)
            if why is not None:
                click.echo(f"{committee}: no reminder, reviews are not open ({why}).")
                continue
            for due in send_reminders(committee=committee):
                sent += 1
                click.echo(f"{due.reviewer.email}: {len(due.pending)} review(s) pending")
    db.session.commit()  # writes the reminders to the outbox; they leave right after
    click.echo(f"{sent} reminder(s) sent.")
