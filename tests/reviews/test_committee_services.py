"""Committee services: conflicts of each kind, refused assignments, the automatic plan, the rubric."""

import pytest

from portal.extensions import db
from portal.reviews import conflicts
from portal.reviews.assignment_plan import apply_plan, plan_assignments
from portal.reviews.committee_admin import assign_pairs, assignment_board
from portal.reviews.models import ConflictSource, Preference
from portal.reviews.reminders import reminders_due
from portal.reviews.rubric import RubricFrozen, default_criteria, set_criteria
from portal.reviews.services import (
    AssignmentRefused,
    add_member,
    assign,
    committee_of,
    declare_conflict,
    set_bid,
)
from tests import factories


def _members(committee, count: int, **values):
    people = [factories.reviewer(**values) for _ in range(count)]
    for person in people:
        add_member(committee=committee, user=person)
    db.session.commit()
    return people


def _kinds(user, proposal) -> set[str]:
    return {conflict.kind for conflict in conflicts.detected(user, proposal)}


def test_committee_starts_with_the_default_rubric(committee):
    assert [c.name_en for c in committee.criteria] == [row.name_en for row in default_criteria()]
    assert committee_of(campaign=committee.campaign, initiative=committee.initiative) is committee


def test_director_and_co_supervisor_are_in_conflict(committee):
    director = factories.user("director@lab-a.test")
    proposal = factories.submitted_proposal(committee.campaign, owner=director)
    # By account or e-mail it is certain; by name alone (a namesake?) only suspected.
    assert "self" in _kinds(director, proposal)
    co = factories.reviewer(first_name="Marie", last_name="Curie")
    content = dict(proposal.content, co_supervisor={"first_name": "Marie", "last_name": "Curie", "email": ""})
    assert "supervisor" in {c.kind for c in conflicts.detected(co, proposal, content)}
    assert _kinds(factories.reviewer(), proposal) == set()


def test_same_research_unit_is_a_conflict(committee):
    # The director's unit in complete_content is UMR7606.
    unit = factories.research_unit("UMR7606")
    colleague = factories.reviewer(research_unit=unit)
    proposal = factories.submitted_proposal(committee.campaign)
    assert _kinds(colleague, proposal) == {"unit"}


def test_a_person_in_the_supervision_lists_is_in_conflict(committee):
    student = factories.reviewer(first_name="Ada", last_name="Martin")
    proposal = factories.submitted_proposal(committee.campaign)
    assert _kinds(student, proposal) == {"supervision"}


def test_same_mail_domain_is_a_conflict_but_not_a_public_provider(committee):
    lab = factories.submitted_proposal(committee.campaign, owner=factories.user("boss@inria-lab.test"))
    assert _kinds(factories.user("peer@inria-lab.test"), lab) == {"domain"}
    public = factories.submitted_proposal(committee.campaign, owner=factories.user("boss@gmail.com"))
    assert _kinds(factories.user("peer@gmail.com"), public) == set()


def test_declared_and_staff_set_conflicts(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    declarer, other = _members(committee, 2)
    declare_conflict(
        proposal=proposal, user=declarer, source=ConflictSource.declared, reason="Former student"
    )
    declare_conflict(proposal=proposal, user=other, source=ConflictSource.staff, reason="Co-author")
    db.session.commit()
    assert conflicts.declared(declarer, proposal)[0].reason == "Former student"
    assert conflicts.declared(other, proposal)[0].kind == "staff"
    board = assignment_board(committee)
    assert [c.reason for c in board.cell(proposal, committee.members[1]).conflicts] == ["Co-author"]


def test_assignment_is_refused_on_conflict_and_for_non_members(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    (member,) = _members(committee, 1)
    outsider = factories.reviewer()
    with pytest.raises(AssignmentRefused):
        assign(committee=committee, proposal=proposal, reviewer=outsider, assigned_by=member)
    declare_conflict(proposal=proposal, user=member, source=ConflictSource.staff)
    with pytest.raises(AssignmentRefused):
        assign(committee=committee, proposal=proposal, reviewer=member, assigned_by=member)


def test_a_staff_conflict_withdraws_the_assignment(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    (member,) = _members(committee, 1)
    assign(committee=committee, proposal=proposal, reviewer=member, assigned_by=member)
    declare_conflict(proposal=proposal, user=member, source=ConflictSource.staff)
    db.session.commit()
    assert assignment_board(committee).loads[member.id] == 0


def test_plan_gives_k_reviewers_without_conflicts_with_balanced_loads(committee):
    proposals = [factories.submitted_proposal(committee.campaign) for _ in range(6)]
    people = _members(committee, 4)
    declare_conflict(proposal=proposals[0], user=people[0], source=ConflictSource.staff)
    plan = plan_assignments(committee, per_proposal=2)
    assert not plan.short
    per_proposal = {
        p.id: [a.reviewer.id for a in plan.assignments if a.proposal.id == p.id] for p in proposals
    }
    assert all(len(reviewers) == 2 for reviewers in per_proposal.values())
    assert people[0].id not in per_proposal[proposals[0].id]
    assert sorted(plan.loads[p.id] for p in people) == [3, 3, 3, 3]
    assert apply_plan(plan, assigned_by=people[1]) == 12
    db.session.commit()
    # Nothing left to plan: a second run adds nothing.
    assert plan_assignments(committee, per_proposal=2).assignments == []


def test_plan_prefers_eager_bids_and_avoids_unwilling_members(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    eager, neutral, unwilling = _members(committee, 3)
    set_bid(proposal=proposal, user=eager, preference=Preference.eager)
    set_bid(proposal=proposal, user=unwilling, preference=Preference.not_willing)
    plan = plan_assignments(committee, per_proposal=2)
    assert {a.reviewer.id for a in plan.assignments} == {eager.id, neutral.id}
    assert next(a for a in plan.assignments if a.reviewer.id == eager.id).preference is Preference.eager


def test_plan_respects_max_load_and_reports_short_proposals(committee):
    proposals = [factories.submitted_proposal(committee.campaign) for _ in range(3)]
    capped, free = _members(committee, 2)
    committee.members[0].max_load = 1
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=2)
    assert plan.loads[capped.id] == 1 and plan.loads[free.id] == 3
    assert sum(plan.short.values()) == 2 and set(plan.short) <= {p.id for p in proposals}


def test_confirmed_pairs_are_checked_again(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    ok, conflicted = _members(committee, 2)
    declare_conflict(proposal=proposal, user=conflicted, source=ConflictSource.staff)
    outsider = factories.reviewer()
    saved, refused = assign_pairs(
        committee=committee,
        pairs=[
            (proposal.id, ok.id),
            (proposal.id, conflicted.id),
            (proposal.id, outsider.id),
            (999999, ok.id),
        ],
        assigned_by=ok,
    )
    assert (saved, refused) == (1, 3)


def test_pending_reviews_leave_out_submitted_ones(committee):
    first, second = (factories.submitted_proposal(committee.campaign) for _ in range(2))
    (member,) = _members(committee, 1)
    assign(committee=committee, proposal=first, reviewer=member, assigned_by=member)
    factories.submitted_review(committee, second, member, {0: "3", 1: "3", 2: "3", 3: "3"})
    [due] = reminders_due(committee)
    assert due.reviewer.id == member.id and [p.id for p in due.proposals] == [first.id]


def test_rubric_is_frozen_once_a_review_exists(committee):
    proposal = factories.submitted_proposal(committee.campaign)
    set_criteria(committee=committee, rows=default_criteria()[:2])
    factories.submitted_review(committee, proposal, factories.reviewer(), {0: "3", 1: "3"})
    with pytest.raises(RubricFrozen):
        set_criteria(committee=committee, rows=default_criteria())
    assert len(committee.criteria) == 2
