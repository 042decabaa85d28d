"""Assignment: a manual assignment beyond a member's maximum waits for a confirmation; the automatic
plan evens the loads, honours the bids and says why it chose each pair."""

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.reviews.assignment_plan import plan_assignments
from portal.reviews.committee_admin import assign_pairs
from portal.reviews.models import Assignment, ConflictSource, Preference
from portal.reviews.services import add_member, assign, declare_conflict, set_bid
from tests import factories


def _members(committee, count: int):
    people = [factories.reviewer() for _ in range(count)]
    for person in people:
        add_member(committee=committee, user=person)
    db.session.commit()
    return people


def _plan_by_proposal(plan) -> dict[int, list]:
    found: dict[int, list] = {}
    for item in plan.assignments:
        found.setdefault(item.proposal.id, []).append(item)
    return found


def test_the_plan_evens_loads_honours_bids_and_says_why(committee):
    p1, p2, p3, p4 = (factories.submitted_proposal(committee.campaign) for _ in range(4))
    a, b, c = _members(committee, 3)
    # A wants P1 and P2; B would take P2; C refuses P3 and would take P4.
    set_bid(proposal=p1, user=a, preference=Preference.eager)
    set_bid(proposal=p2, user=a, preference=Preference.eager)
    set_bid(proposal=p2, user=b, preference=Preference.willing)
    set_bid(proposal=p3, user=c, preference=Preference.not_willing)
    set_bid(proposal=p4, user=c, preference=Preference.willing)
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=1)
    # 4 reviews for 3 members: 1 each, and one member 1 more (the even share).
    assert (plan.share.level, plan.share.extra) == (1, 1)
    chosen = {
        pid: [(item.reviewer.id, item.why) for item in items]
        for pid, items in _plan_by_proposal(plan).items()
    }
    # P1, P2 to the eager A (A takes the one extra); P3 to B, not to the unwilling C; P4 to C.
    assert chosen == {
        p1.id: [(a.id, ["eager", "lightest"])],
        p2.id: [(a.id, ["eager", "lightest"])],
        p3.id: [(b.id, ["no_bid", "lightest"])],
        p4.id: [(c.id, ["willing", "lightest"])],
    }
    assert sorted(plan.loads[m.id] for m in (a, b, c)) == [1, 1, 2]
    assert not plan.short


def test_the_plan_never_leaves_a_willing_member_idle_while_another_takes_two(committee):
    proposals = [factories.submitted_proposal(committee.campaign) for _ in range(4)]
    people = _members(committee, 4)
    keen = people[0]
    # Everyone is eager for everything: bids alone would give the first member all four.
    for proposal in proposals:
        for person in people:
            set_bid(proposal=proposal, user=person, preference=Preference.eager)
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=1)
    assert sorted(plan.loads[p.id] for p in people) == [1, 1, 1, 1]
    assert plan.loads[keen.id] == 1


def test_the_plan_goes_beyond_the_even_share_only_where_conflicts_leave_no_choice(committee):
    p1, p2, p3 = (factories.submitted_proposal(committee.campaign) for _ in range(3))
    a, b, c = _members(committee, 3)
    # Only A may review P3 (B and C are in conflict); A is eager for P1, which all may review.
    for proposal, person in ((p3, b), (p3, c)):
        declare_conflict(proposal=proposal, user=person, source=ConflictSource.staff, reason="Same lab.")
    for proposal, person in ((p2, b), (p2, c)):
        declare_conflict(proposal=proposal, user=person, source=ConflictSource.staff, reason="Same lab.")
    set_bid(proposal=p1, user=a, preference=Preference.eager)
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=1)
    # P2 and P3 can only go to A: 2 for A, one beyond the even share (1 each), and said so; P1 goes
    # to B or C, not to the eager A.
    chosen = {pid: items[0].reviewer.id for pid, items in _plan_by_proposal(plan).items()}
    assert chosen[p2.id] == a.id and chosen[p3.id] == a.id and chosen[p1.id] in {b.id, c.id}
    beyond = [item for item in plan.assignments if "beyond_target" in item.why]
    assert [item.proposal.id for item in beyond] == [p2.id] or [item.proposal.id for item in beyond] == [
        p3.id
    ]


def test_the_plan_moves_a_pair_rather_than_load_one_member_more(committee):
    p1, p2, p3 = (factories.submitted_proposal(committee.campaign) for _ in range(3))
    a, b, c = _members(committee, 3)
    # P1 and P3: A or B; P2: B or C. Served in order, P1 goes to A and P2 to B: P3 would find
    # both full (1 each is the even share) unless P2 moves on to C.
    for proposal, person in ((p1, c), (p3, c), (p2, a)):
        declare_conflict(proposal=proposal, user=person, source=ConflictSource.staff, reason="Same lab.")
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=1)
    chosen = {pid: (items[0].reviewer.id, items[0].why) for pid, items in _plan_by_proposal(plan).items()}
    assert chosen == {
        p1.id: (a.id, ["no_bid", "lightest"]),
        p2.id: (c.id, ["no_bid", "moved"]),
        p3.id: (b.id, ["no_bid", "lightest"]),
    }
    assert [plan.loads[m.id] for m in (a, b, c)] == [1, 1, 1] and not plan.short


def test_the_plan_page_says_why_each_pair_was_chosen(desk, client):
    committee = desk
    proposal = factories.submitted_proposal(committee.campaign)
    eager, other = _members(committee, 2)
    set_bid(proposal=proposal, user=eager, preference=Preference.eager)
    db.session.commit()
    html = client.get(f"/reviews/committees/{committee.id}/assignments/auto?per_proposal=1").get_data(
        as_text=True
    )
    assert "Asked for it (eager). Within the even share of the work" in html
    assert "Even share of the work: 0 proposals per member, 1 member one more" in html


def test_a_manual_assignment_beyond_the_maximum_waits_for_a_confirmation(desk, client):
    committee, staff = desk, desk.staff
    first, second = (factories.submitted_proposal(committee.campaign) for _ in range(2))
    (member,) = _members(committee, 1)
    committee.members[0].max_load = 1
    assign(committee=committee, proposal=first, reviewer=member, assigned_by=staff)
    db.session.commit()
    board = f"/reviews/committees/{committee.id}/assignments"
    path = f"/reviews/committees/{committee.id}/assign"
    pair = {"proposal": second.id, "reviewer": member.id}

    def assigned() -> bool:
        query = select(Assignment).where(Assignment.proposal_id == second.id)
        return db.session.scalar(query) is not None

    asked = client.submit(path, pair, page=board)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and not assigned()
    assert "has 1 proposal already; their maximum is 1." in html
    assert "Assign beyond this member" in html and "s maximum load</label>" in html
    unticked = client.submit(path, {**pair, "asked": "1"}, page=board)
    assert unticked.status_code == 422 and not assigned()
    # The message sits next to the box it is about.
    assert 'id="over_load-error">Tick the box to assign beyond the maximum' in unticked.get_data(as_text=True)
    confirmed = client.submit(path, {**pair, "asked": "1", "over_load": "y"}, page=board)
    assert confirmed.status_code == 302 and assigned()
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assignment.created").order_by(AuditEvent.id)
    ).all()
    # The first assignment was within the maximum; the confirmed one says how far beyond it went.
    assert "beyond_max_load" not in events[0].details
    assert events[1].details.items() >= {"beyond_max_load": True, "load": 2, "max_load": 1}.items()
    assert events[1].actor_id == staff.id
    page = client.get(confirmed.location).get_data(as_text=True)
    assert "beyond their maximum of 1 proposal." in page


def test_a_confirmed_plan_that_goes_beyond_a_maximum_meanwhile_says_so_in_the_audit_log(committee):
    first, second = (factories.submitted_proposal(committee.campaign) for _ in range(2))
    (member,) = _members(committee, 1)
    committee.members[0].max_load = 1
    db.session.commit()
    plan = plan_assignments(committee, per_proposal=1)
    pairs = [(item.proposal.id, item.reviewer.id) for item in plan.assignments]
    assert pairs == [(first.id, member.id)]
    # Before the plan is confirmed, staff assign the member to the other proposal by hand.
    assign(committee=committee, proposal=second, reviewer=member, assigned_by=member)
    assert assign_pairs(committee=committee, pairs=pairs, assigned_by=member) == (1, 0)
    db.session.commit()
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "assignment.created").order_by(AuditEvent.id.desc())
    ).first()
    assert event.details["automatic"] is True
    assert event.details.items() >= {"beyond_max_load": True, "load": 2, "max_load": 1}.items()
