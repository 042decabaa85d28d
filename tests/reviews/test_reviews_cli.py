"""`flask reviews assign` and `flask reviews remind`."""

from sqlalchemy import func, select

from portal.extensions import db
from portal.reviews.models import Assignment
from portal.reviews.services import add_member, assign
from tests import factories


def _assignments() -> int:
    return db.session.scalar(select(func.count(Assignment.id)))


def _with_members(committee, count: int):
    people = [factories.reviewer() for _ in range(count)]
    for person in people:
        add_member(committee=committee, user=person)
    db.session.commit()
    return people


ASSIGN = ["reviews", "assign", "--campaign", "2021", "--initiative", "scai", "--per-proposal", "2"]


def test_dry_run_prints_the_plan_and_saves_nothing(committee, runner):
    proposals = [factories.submitted_proposal(committee.campaign) for _ in range(2)]
    _with_members(committee, 3)
    result = runner.invoke(args=[*ASSIGN, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "4 assignment(s) planned, nothing saved" in result.output
    assert f"#{proposals[0].id}\t" in result.output
    assert _assignments() == 0


def test_assign_saves_the_plan_and_reports_short_proposals(committee, runner):
    factories.submitted_proposal(committee.campaign)
    staff = factories.user("staff@example.org")
    _with_members(committee, 1)
    result = runner.invoke(args=[*ASSIGN, "--by", "staff@example.org"])
    assert result.exit_code == 0, result.output
    assert "1 assignment(s) saved." in result.output and "lacks 1 reviewer(s)" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Assignment)).assigned_by_id == staff.id


def test_assign_refuses_an_unknown_committee(committee, runner):
    result = runner.invoke(args=["reviews", "assign", "--campaign", "1999", "--initiative", "SCAI"])
    assert result.exit_code != 0 and "no committee for SCAI in the 1999 campaign" in result.output


def test_remind_writes_to_reviewers_with_pending_reviews(committee, runner, mailbox):
    pending, done = (
        factories.submitted_proposal(committee.campaign),
        factories.submitted_proposal(committee.campaign),
    )
    late, punctual = _with_members(committee, 2)
    assign(committee=committee, proposal=pending, reviewer=late, assigned_by=late)
    db.session.commit()
    factories.submitted_review(committee, done, punctual, {0: "3", 1: "3", 2: "3", 3: "3"})
    result = runner.invoke(
        args=["reviews", "remind", "--campaign", "2021", "--base-url", "https://prd.example.org"]
    )
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent." in result.output
    message = mailbox.last_to(late.email)
    text = message.get_body(("plain",)).get_content()
    assert pending.title in text and "https://prd.example.org/" in text
    assert mailbox.to(punctual.email) == []


def test_remind_writes_only_while_reviews_are_open(committee, runner, mailbox):
    proposal = factories.submitted_proposal(committee.campaign)
    (reviewer,) = _with_members(committee, 1)
    assign(committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=reviewer)
    db.session.commit()
    remind = ["reviews", "remind", "--campaign", "2021", "--initiative", "SCAI"]
    before = runner.invoke(args=remind)
    assert "no reminder, reviews are not open (the call or an extension of it is still open)" in before.output
    factories.end_reviews(committee)
    after = runner.invoke(args=remind)
    assert "(the review deadline has passed)" in after.output and "0 reminder(s) sent." in after.output
    assert mailbox.to(reviewer.email) == []
