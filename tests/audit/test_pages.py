"""The administrators' log with its filters, a proposal's trail for its staff, and the events that
only routes know of (sign-in, account changes, PDF downloads)."""

from datetime import UTC, datetime

import pytest

from portal.audit.actions import ACTIONS
from portal.audit.services import record
from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import ProposalEditor
from portal.reviews.services import add_member, assign
from tests import factories
from tests.audit.conftest import events, last, recorded_actions


@pytest.fixture
def admin(app_context):
    return factories.user("admin@example.org", Role.admin, two_factor=True)


def _event(action: str, actor, obj=None, at: datetime | None = None, **details):
    event = record(action, actor=actor, obj=obj, **details)
    if at is not None:
        event.at = at
    db.session.commit()
    return event


def test_the_log_filters_by_action_actor_object_and_dates(admin, client):
    ada = factories.user("ada@example.org")
    bob = factories.user("bob@example.org")
    proposal = factories.proposal(ada)
    _event("account.disabled", admin, bob, at=datetime(2026, 1, 10, 12, tzinfo=UTC), marker="m-jan")
    _event("account.enabled", admin, bob, at=datetime(2026, 3, 10, 12, tzinfo=UTC), marker="m-mar")
    _event("proposal.saved", ada, proposal, at=datetime(2026, 2, 10, 12, tzinfo=UTC), marker="m-feb")
    client.sign_in_user(admin)

    def shown(**arguments) -> set[str]:
        response = client.get("/audit/", query_string=arguments)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        return {marker for marker in ("m-jan", "m-feb", "m-mar") if marker in html}

    assert shown() == {"m-jan", "m-feb", "m-mar"}
    assert shown(action="account.disabled") == {"m-jan"}
    assert shown(action="account.") == {"m-jan", "m-mar"}
    assert shown(actor="ADA@") == {"m-feb"}
    assert shown(object=f"proposal:{proposal.id}") == {"m-feb"}
    assert shown(object=f"user:{bob.id}") == {"m-jan", "m-mar"}
    assert shown(object="user") == {"m-jan", "m-mar"}
    assert shown(**{"from": "2026-02-01"}) == {"m-feb", "m-mar"}
    assert shown(**{"from": "2026-01-01", "to": "2026-02-10"}) == {"m-jan", "m-feb"}
    assert shown(to="not a date") == {"m-jan", "m-feb", "m-mar"}


def test_the_log_pages(admin, client):
    for number in range(55):
        record("account.enabled", actor=admin, obj=admin, marker=f"n{number:02d}")
    db.session.commit()
    client.sign_in_user(admin)
    first = client.get("/audit/?action=account.enabled").get_data(as_text=True)
    assert "n54" in first and "n04" not in first and "Page 1 of 2" in first
    second = client.get("/audit/?action=account.enabled&page=2").get_data(as_text=True)
    assert "n04" in second and "n54" not in second


@pytest.fixture
def trail(committee, submitted):
    """The submitted proposal, with something on its trail."""
    _event("proposal.pdf_downloaded", None, submitted, marker="on-the-trail")
    _event("account.enabled", None, submitted.owner, marker="not-on-the-trail")
    return submitted


def _can_see(client, user, proposal) -> int:
    client.sign_in_user(user)
    status = client.get(f"/audit/proposals/{proposal.id}").status_code
    client.sign_out()
    return status


def test_the_trail_is_for_the_proposal_staff_and_admins(trail, admin, client):
    programme = factories.user(None, Role.programme_staff, scope=trail.initiative, two_factor=True)
    school = factories.user(None, Role.school_staff, scope=trail.director_school, two_factor=True)
    client.sign_in_user(programme)
    page = client.get(f"/audit/proposals/{trail.id}").get_data(as_text=True)
    assert "on-the-trail" in page and "not-on-the-trail" not in page
    assert f"/audit/proposals/{trail.id}" in client.get(f"/proposals/{trail.id}").get_data(as_text=True)
    client.sign_out()
    assert _can_see(client, school, trail) == 200
    assert _can_see(client, admin, trail) == 200


def test_the_trail_is_refused_to_reviewers(trail, committee, client):
    reviewer = factories.reviewer()
    add_member(committee=committee, user=reviewer)
    assign(committee=committee, proposal=trail, reviewer=reviewer, assigned_by=reviewer)
    db.session.commit()
    # They read the proposal, so it is no secret to them: 403, and no link on its page.
    client.sign_in_user(reviewer)
    assert client.get(f"/audit/proposals/{trail.id}").status_code == 403
    assert "/audit/" not in client.get(f"/proposals/{trail.id}").get_data(as_text=True)
    client.sign_out()
    other = factories.user(None, Role.programme_staff, two_factor=True)
    assert _can_see(client, other, trail) == 404


def test_editors_read_the_life_of_their_proposal_not_its_downloads(trail, client):
    co_editor = factories.user("co@example.org")
    trail.editors.append(ProposalEditor(email=co_editor.email, user=co_editor, accepted_at=utcnow()))
    db.session.commit()
    for user in (trail.owner, co_editor):
        client.sign_in_user(user)
        page = client.get(f"/audit/proposals/{trail.id}").get_data(as_text=True)
        assert "Proposal submitted" in page and "on-the-trail" not in page
        client.sign_out()


def test_a_refused_sign_in_is_recorded_without_the_password(app_context, client):
    factories.user("ada@example.org")
    client.sign_in("Ada@Example.org", "not-the-password-xyz")
    client.sign_in("nobody@example.org", "another-secret-abc")
    refused = events("auth.sign_in_refused")
    assert [(e.actor_id, e.actor_label, e.details) for e in refused] == [
        (None, "ada@example.org", {"email": "ada@example.org"}),
        (None, "nobody@example.org", {"email": "nobody@example.org"}),
    ]
    assert refused[0].ip == "127.0.0.1"
    for event in refused:
        row = repr((event.actor_label, event.details, event.object_type, event.ip))
        assert "not-the-password" not in row and "another-secret" not in row


def test_sign_ins_are_recorded_after_each_step(admin, client):
    supervisor = factories.user("ada@example.org")
    client.sign_in_user(supervisor)
    client.sign_out()
    client.sign_in_user(admin)
    signed_in = events("auth.signed_in")
    assert [(e.actor_id, e.object_id, e.details["two_factor"]) for e in signed_in] == [
        (supervisor.id, supervisor.id, False),
        (admin.id, admin.id, True),
    ]


def test_account_and_role_changes_name_the_administrator(admin, client, mailbox):
    user = factories.user("ada@example.org")
    client.sign_in_user(admin)
    client.submit(f"/admin/users/{user.id}/disable", page=f"/admin/users/{user.id}")
    client.submit(f"/admin/users/{user.id}/enable", page=f"/admin/users/{user.id}")
    school = factories.doctoral_school("ED130")
    client.submit(
        f"/admin/users/{user.id}/grants",
        {"role": "school_staff", "doctoral_school": str(school.id), "initiative": ""},
        page=f"/admin/users/{user.id}",
    )
    for action in ("account.disabled", "account.enabled", "role.granted"):
        event = last(action)
        assert (event.actor_label, event.object_type, event.object_id) == (
            "admin@example.org",
            "user",
            user.id,
        )
    assert last("role.granted").details == {"role": "school_staff", "scope": "ED130"}
    db.session.refresh(user)
    grant = next(g for g in user.grants if g.role is Role.school_staff)
    client.submit(f"/admin/users/{user.id}/grants/{grant.id}/revoke", page=f"/admin/users/{user.id}")
    assert last("role.revoked").actor_id == admin.id


def test_a_pdf_downloaded_by_staff_is_recorded_not_by_its_director(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    assert client.get(f"/proposals/{proposal.id}/pdf").status_code == 200
    client.sign_out()
    assert events("proposal.pdf_downloaded") == []
    staff = factories.user(None, Role.programme_staff, scope=proposal.initiative, two_factor=True)
    client.sign_in_user(staff)
    assert client.get(f"/proposals/{proposal.id}/pdf").status_code == 200
    event = last("proposal.pdf_downloaded")
    assert (event.actor_id, event.proposal_id, event.details) == (staff.id, proposal.id, {"submitted": False})


def test_exports_are_recorded(admin, client):
    client.sign_in_user(admin)
    response = client.get("/exports/proposals.csv?campaign=2031", buffered=True)
    assert response.status_code == 200
    event = last("export.downloaded")
    assert (event.actor_id, event.details) == (admin.id, {"format": "csv", "campaign": "2031"})


def test_every_recorded_action_has_a_label_staff_can_read():
    # Staff read the log through labels; an action without one would show as "email_template.reset".
    assert recorded_actions() - set(ACTIONS) == set()
