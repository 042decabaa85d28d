"""Detected conflicts are suspected until programme staff confirm or waive them, with a reason in the
audit log; a call's ignored e-mail domains; the people a director asks not to review the proposal."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.reviews import conflicts
from portal.reviews.assignment_plan import plan_assignments
from portal.reviews.conflicts import ConflictStatus
from portal.reviews.models import Assignment
from portal.reviews.reviewer_lists import biddable
from portal.reviews.services import AssignmentRefused, add_member, assign
from tests import factories

SORBONNE = "sorbonne-universite.fr"


def _member(committee, email: str | None = None, **values):
    person = factories.user(email, Role.reviewer, **values)
    add_member(committee=committee, user=person)
    db.session.commit()
    return person


def _statuses(user, proposal) -> dict[str, ConflictStatus]:
    return {conflict.kind: conflict.status for conflict in conflicts.conflicts_of(user, proposal)}


def _board(client, committee) -> str:
    response = client.get(f"/reviews/committees/{committee.id}/assignments")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _rule(client, committee, proposal, user, button: str, reason: str):
    path = f"/reviews/committees/{committee.id}/assignments"
    prefix = f"ruling-{proposal.id}-{user.id}-"
    data = {"proposal": proposal.id, "reviewer": user.id, f"{prefix}reason": reason, f"{prefix}{button}": "x"}
    return client.submit(f"/reviews/committees/{committee.id}/conflicts/ruling", data, page=path)


def _events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def test_each_detected_rule_is_suspected_and_the_director_is_certain(desk):
    director = factories.user("boss@lab-a.test")
    proposal = factories.submitted_proposal(
        desk.campaign,
        owner=director,
        excluded_reviewers=[{"name": "Rival Person", "email": ""}, {"email": "foe@far.test"}],
    )
    # Only what the conflict rules read of the co-supervisor (the submission rules ask for more).
    co_supervisor = {"first_name": "Marie", "last_name": "Curie", "email": "marie@elsewhere.test"}
    proposal.content = {**proposal.content, "co_supervisor": co_supervisor}
    db.session.commit()
    unit = factories.research_unit("UMR7606")  # the director's unit in the factory's content
    cases = {
        "unit": factories.user("u@x.test", research_unit=unit),
        "supervision": factories.user("s@x.test", first_name="Ada", last_name="Martin"),
        "domain": factories.user("peer@lab-a.test"),
        # A namesake of the co-supervisor, with another address: only the name matches.
        "supervisor": factories.user("other-marie@x.test", first_name="Marie", last_name="Curie"),
        "excluded": factories.user("foe@far.test"),
    }
    for kind, user in cases.items():
        assert _statuses(user, proposal) == {kind: ConflictStatus.suspected}, kind
        assert conflicts.in_conflict(user, proposal)
    assert _statuses(factories.user("rival@y.test", first_name="Rival", last_name="Person"), proposal) == {
        "excluded": ConflictStatus.suspected
    }
    # The director's own account, and the co-supervisor's address, are facts, not suspicions.
    assert _statuses(director, proposal) == {
        "self": ConflictStatus.certain,
        "domain": ConflictStatus.suspected,
    }
    co = factories.user("marie@elsewhere.test", first_name="M.", last_name="Curie")
    assert _statuses(co, proposal) == {"self": ConflictStatus.certain}
    assert not conflicts.in_conflict(factories.user("free@y.test"), proposal)


def test_staff_waive_a_suspected_conflict_with_a_reason_then_assign(desk, client):
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    colleague = _member(desk, "peer@lab-a.test", first_name="Same", last_name="Domain")
    html = _board(client, desk)
    assert "Suspected conflict" in html and "Same e-mail domain as the director (lab-a.test)." in html
    assert f'id="ruling-{proposal.id}-{colleague.id}"' in html
    assert {item.proposal.id for item in plan_assignments(desk, per_proposal=1).assignments} == set()
    with pytest.raises(AssignmentRefused, match="suspected"):
        assign(committee=desk, proposal=proposal, reviewer=colleague, assigned_by=desk.staff)
    db.session.rollback()
    assert biddable(colleague) == [(desk, [])]

    refused = _rule(client, desk, proposal, colleague, "waive", "   ")
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    error = re.search(rf'id="ruling-{proposal.id}-{colleague.id}-reason-error">([^<]+)<', html)
    assert error and error.group(1) == "Say why, for the audit log."
    assert _events("conflict.waived") == []

    reason = "Both at the university, different departments; never worked together."
    response = _rule(client, desk, proposal, colleague, "waive", reason)
    assert response.status_code == 302
    (event,) = _events("conflict.waived")
    assert event.proposal_id == proposal.id and event.actor_id == desk.staff.id
    assert event.details["reason"] == reason and event.details["rules"] == ["domain"]
    assert event.details["reviewer"] == "peer@lab-a.test"
    html = _board(client, desk)
    assert "The conflict of Same Domain is waived." in html and "Conflict waived" in html
    assert f"Waived by {desk.staff.display_name}" in html and reason in html
    assert not conflicts.in_conflict(colleague, proposal)
    assert biddable(colleague) == [(desk, [proposal])]
    # The automatic plan now uses the member; the audit trail names the waiver.
    assert [
        (item.proposal.id, item.reviewer.id) for item in plan_assignments(desk, per_proposal=1).assignments
    ] == [(proposal.id, colleague.id)]
    trail = client.get(f"/audit/proposals/{proposal.id}").get_data(as_text=True)
    assert "Suspected conflict of interest waived" in trail


def test_confirming_keeps_the_conflict_and_withdraws_the_assignment(desk, client):
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    colleague = _member(desk, "peer@lab-a.test")
    assert _rule(client, desk, proposal, colleague, "waive", "Another department.").status_code == 302
    assign(committee=desk, proposal=proposal, reviewer=colleague, assigned_by=desk.staff)
    db.session.commit()

    response = _rule(client, desk, proposal, colleague, "confirm", "They co-authored three papers.")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Assignment).where(Assignment.reviewer_id == colleague.id)) is None
    (event,) = _events("conflict.confirmed")
    assert event.details["reason"] == "They co-authored three papers." and event.details["unassigned"] is True
    assert _statuses(colleague, proposal) == {"domain": ConflictStatus.confirmed}
    with pytest.raises(AssignmentRefused, match="conflict"):
        assign(committee=desk, proposal=proposal, reviewer=colleague, assigned_by=desk.staff)


def test_a_rule_that_matches_after_the_waiver_is_suspected_again(desk, client):
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    colleague = _member(desk, "peer@lab-a.test")
    assert _rule(client, desk, proposal, colleague, "waive", "Another department.").status_code == 302
    colleague.research_unit = factories.research_unit("UMR7606")
    db.session.commit()
    assert _statuses(colleague, proposal) == {
        "domain": ConflictStatus.waived,
        "unit": ConflictStatus.suspected,
    }
    assert conflicts.in_conflict(colleague, proposal)


def test_a_certain_conflict_cannot_be_waived(desk, client):
    director = _member(desk, "boss@gmail.com")
    proposal = factories.submitted_proposal(desk.campaign, owner=director)
    assert f'id="ruling-{proposal.id}-{director.id}"' not in _board(client, desk)
    response = _rule(client, desk, proposal, director, "waive", "Please")
    assert response.status_code == 302
    assert "No detected conflict is left to confirm or waive" in _board(client, desk)
    assert _events("conflict.waived") == [] and conflicts.in_conflict(director, proposal)


def test_pressing_neither_button_is_refused_next_to_the_field(desk, client):
    proposal = factories.submitted_proposal(desk.campaign, owner=factories.user("boss@lab-a.test"))
    colleague = _member(desk, "peer@lab-a.test")
    path = f"/reviews/committees/{desk.id}/conflicts/ruling"
    data = {
        "proposal": proposal.id,
        "reviewer": colleague.id,
        f"ruling-{proposal.id}-{colleague.id}-reason": "x",
    }
    response = client.submit(path, data, page=f"/reviews/committees/{desk.id}/assignments")
    assert response.status_code == 400
    assert "Press “Confirm the conflict” or “Waive the conflict”." in response.get_data(as_text=True)


def test_at_one_university_the_ignored_domains_unblock_assignment(desk):
    director = factories.user(f"boss@{SORBONNE}")
    proposals = [factories.submitted_proposal(desk.campaign, owner=director) for _ in range(2)]
    members = [_member(desk, f"reviewer{n}@{SORBONNE}") for n in range(2)] + [_member(desk, "r@cnrs.fr")]
    plan = plan_assignments(desk, per_proposal=2)
    assert plan.short == {proposals[0].id: 1, proposals[1].id: 1}

    desk.campaign.ignored_mail_domains = [SORBONNE, "cnrs.fr"]
    db.session.commit()
    plan = plan_assignments(desk, per_proposal=2)
    assert plan.short == {} and len(plan.assignments) == 4
    assign(committee=desk, proposal=proposals[0], reviewer=members[0], assigned_by=director)
    # A subdomain of an ignored domain is ignored too.
    desk.campaign.ignored_mail_domains = ["cnrs.fr", "etu." + SORBONNE, SORBONNE]
    assert not conflicts.in_conflict(factories.user(f"x@etu.{SORBONNE}"), proposals[1])


def test_the_staff_see_the_names_the_director_excluded(desk, client):
    proposal = factories.submitted_proposal(
        desk.campaign, excluded_reviewers=[{"name": "Jean Rival", "email": "jean.rival@lab.test"}]
    )
    rival = _member(desk, "jean.rival@lab.test", first_name="Jean", last_name="Rival")
    html = _board(client, desk)
    assert "Not to review, says the director:" in html and "Jean Rival &lt;jean.rival@lab.test&gt;" in html
    assert "The director asked that this person not review the proposal." in html
    assert f'id="ruling-{proposal.id}-{rival.id}"' in html
