"""Each service records its change, with actor, time and object, in the same transaction."""

from datetime import timedelta

from portal.auth.models import Role
from portal.auth.services import grant_role, revoke_role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals import co_editing
from portal.proposals.services import (
    REVISION_WINDOW,
    grant_extension,
    reopen,
    restore_revision,
    save_draft,
    submit,
    withdraw,
)
from portal.reviews.assignment_plan import apply_plan, plan_assignments
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import ConflictSource, Outcome
from portal.reviews.services import add_member, assign, declare_conflict, remove_member, unassign
from tests import factories
from tests.audit.conftest import events, last


def _check(event, *, action, actor, obj, proposal=None):
    assert event.action == action
    assert event.actor_id == (actor.id if actor else None)
    assert event.actor_label == (actor.email if actor else "")
    assert (event.object_type, event.object_id) == (obj.__tablename__.removesuffix("s"), obj.id)
    if proposal is not None:
        assert event.proposal_id == proposal.id
    assert utcnow() - event.at < timedelta(minutes=1)


def test_a_proposal_life_is_recorded(app_context):
    proposal = factories.proposal()
    owner = proposal.owner
    _check(last("proposal.created"), action="proposal.created", actor=owner, obj=proposal, proposal=proposal)

    # Within the revision window, saves by the same person fold into one revision and one event.
    content = dict(proposal.content, title="A first title")
    save_draft(proposal=proposal, content=content, base_version=proposal.version, author=owner)
    db.session.commit()
    assert events("proposal.saved") == []
    proposal.revisions[-1].updated_at -= REVISION_WINDOW * 2
    content = dict(proposal.content, title="A second title")
    save_draft(proposal=proposal, content=content, base_version=proposal.version, author=owner)
    db.session.commit()
    saved = last("proposal.saved")
    _check(saved, action="proposal.saved", actor=owner, obj=proposal, proposal=proposal)
    assert saved.details == {"revision": 2}

    submit(proposal=proposal, content=None, base_version=proposal.version, author=owner)
    db.session.commit()
    _check(last("proposal.submitted"), action="proposal.submitted", actor=owner, obj=proposal)
    reopen(proposal=proposal, author=owner)
    db.session.commit()
    _check(last("proposal.reopened"), action="proposal.reopened", actor=owner, obj=proposal)
    restore_revision(
        proposal=proposal, revision=proposal.revisions[0], base_version=proposal.version, author=owner
    )
    db.session.commit()
    restored = last("proposal.restored")
    _check(restored, action="proposal.restored", actor=owner, obj=proposal)
    assert restored.details == {"revision": 1}
    withdraw(proposal=proposal, author=owner)
    db.session.commit()
    _check(last("proposal.withdrawn"), action="proposal.withdrawn", actor=owner, obj=proposal)

    staff = factories.user(None, Role.programme_staff, scope=proposal.initiative)
    until = utcnow() + timedelta(days=3)
    grant_extension(proposal=proposal, until=until, granted_by=staff)
    db.session.commit()
    extended = last("proposal.extension_granted")
    _check(extended, action="proposal.extension_granted", actor=staff, obj=proposal)
    assert extended.details["until"].startswith(until.date().isoformat())


def test_co_editors_are_recorded(app, app_context, mailbox):
    proposal = factories.proposal()
    with app.test_request_context():  # the invitation's link is built for a request
        editor = co_editing.invite_co_editor(
            proposal=proposal, email="Co@Example.org", invited_by=proposal.owner
        )
    db.session.commit()
    invited = last("co_editor.invited")
    _check(invited, action="co_editor.invited", actor=proposal.owner, obj=editor, proposal=proposal)
    assert invited.details == {"email": "co@example.org"}
    co = factories.user("co@example.org")
    co_editing.accept(editor=editor, user=co)
    db.session.commit()
    _check(last("co_editor.accepted"), action="co_editor.accepted", actor=co, obj=editor, proposal=proposal)
    co_editing.revoke(editor=editor)
    db.session.commit()
    # Outside a request nobody is signed in: the route's user is the actor in production.
    _check(last("co_editor.revoked"), action="co_editor.revoked", actor=None, obj=editor, proposal=proposal)


def test_committee_work_is_recorded(committee, submitted, mailbox):
    staff = factories.user(None, Role.programme_staff, scope=committee.initiative)
    reviewer = factories.reviewer()
    member = add_member(committee=committee, user=reviewer)
    db.session.commit()
    added = last("committee.member_added")
    _check(added, action="committee.member_added", actor=None, obj=committee)
    assert added.details == {"reviewer": reviewer.email, "chair": False}

    assignment = assign(committee=committee, proposal=submitted, reviewer=reviewer, assigned_by=staff)
    db.session.commit()
    created = last("assignment.created")
    _check(created, action="assignment.created", actor=staff, obj=assignment, proposal=submitted)
    assert created.details == {"reviewer": reviewer.email, "automatic": False}
    unassign(assignment=assignment)
    db.session.commit()
    _check(
        last("assignment.removed"),
        action="assignment.removed",
        actor=None,
        obj=assignment,
        proposal=submitted,
    )

    plan = plan_assignments(committee, per_proposal=1)
    assert apply_plan(plan, assigned_by=staff) == 1
    db.session.commit()
    automatic = last("assignment.created")
    assert automatic.details["automatic"] is True and automatic.actor_id == staff.id
    assert automatic.proposal_id == submitted.id

    declare_conflict(proposal=submitted, user=reviewer, source=ConflictSource.staff, reason="Co-author")
    db.session.commit()
    conflict = last("conflict.declared")
    _check(conflict, action="conflict.declared", actor=None, obj=submitted, proposal=submitted)
    assert conflict.details == {
        "reviewer": reviewer.email,
        "source": "staff",
        "reason": "Co-author",
        "unassigned": True,
    }

    remove_member(committee=committee, member=member)
    db.session.commit()
    _check(last("committee.member_removed"), action="committee.member_removed", actor=None, obj=committee)


def test_reviews_and_decisions_are_recorded(committee, submitted, mailbox):
    admin = factories.user(None, Role.admin)
    reviewer = factories.reviewer()
    review = factories.submitted_review(committee, submitted, reviewer, {0: "3", 1: "3", 2: "3", 3: "3"})
    _check(
        last("review.submitted"), action="review.submitted", actor=reviewer, obj=review, proposal=submitted
    )

    committee.funded_contracts = 1
    set_decisions(
        committee=committee, ordered_ids=[submitted.id], outcomes={submitted.id: Outcome.funded}, by=admin
    )
    db.session.commit()
    decided = last("decisions.set")
    _check(decided, action="decisions.set", actor=admin, obj=committee)
    assert decided.details == {"outcomes": {str(submitted.id): "funded"}, "order": [submitted.id]}
    factories.end_reviews(committee)
    assert publish_decisions(committee=committee, by=admin) == 1
    db.session.commit()
    published = last("decisions.published")
    _check(published, action="decisions.published", actor=admin, obj=committee)
    assert published.details["proposals"] == 1 and published.details["early"] is False
    told = last("decision.published")
    _check(told, action="decision.published", actor=admin, obj=submitted, proposal=submitted)
    assert told.details == {"outcome": "funded"}


def test_roles_are_recorded(app_context):
    user = factories.user("ada@example.org")
    school = factories.doctoral_school("ED130")
    grant = grant_role(user=user, role=Role.school_staff, scope=school)
    db.session.commit()
    granted = last("role.granted")
    _check(granted, action="role.granted", actor=None, obj=user)
    assert granted.details == {"role": "school_staff", "scope": "ED130"}
    before = len(events("role.granted"))
    grant_role(user=user, role=Role.school_staff, scope=school)
    assert len(events("role.granted")) == before  # already held: nothing changes, nothing recorded
    revoke_role(user=user, grant=grant)
    db.session.commit()
    assert last("role.revoked").details == {"role": "school_staff", "scope": "ED130"}
