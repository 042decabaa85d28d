"""'Fill from their profile' shows only what an account's owner chose to share, the same answer for
everything else as for an unknown address; it is limited per account and recorded."""

import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import ProposalEditor
from tests import factories
from tests.conftest import page_text
from tests.proposals.test_form_pages import posted

ADDRESS = "co@example.org"
FOUND = "Filled in from the profile of Edouard Oyallon: check the details."
NOT_SHARED = "No profile is shared at this address"


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


def colleague(*roles: Role, email: str = ADDRESS, **values):
    values.setdefault("findable_as_co_supervisor", True)
    unit = factories.research_unit()
    return factories.user(
        email,
        *roles,
        first_name="Edouard",
        last_name="Oyallon",
        title="CR CNRS",
        research_unit=unit,
        two_factor=any(role is not Role.supervisor for role in roles),
        **values,
    )


def look_up(client, draft, address=ADDRESS, **headers):
    fields = posted(draft, action="find-co-supervisor", **{"co_supervisor-email": address})
    return client.submit(
        f"/proposals/{draft.id}/co-supervisor", fields, page=f"/proposals/{draft.id}/edit", headers=headers
    )


def _page(response, address: str) -> str:
    """The page without its token, the address typed, and the countdown (it ticks between requests)."""
    return re.sub(r"data-countdown[^>]*>[^<]*", "", page_text(response, address))


def look_ups():
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "co_supervisor.looked_up")))


def test_a_supervisor_who_shares_their_profile_is_found(draft, client):
    found = colleague(Role.supervisor)
    response = look_up(client, draft, "  CO@example.org ")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Oyallon"' in html and 'value="CR CNRS"' in html
    assert f'value="{found.research_unit.code}"' in html and FOUND in html
    # What was typed elsewhere on the page is still there, and nothing is saved yet.
    assert 'value="Lamprier"' in html
    [event] = look_ups()
    assert (event.actor_id, event.proposal_id, event.details) == (
        draft.owner_id,
        draft.id,
        {"found": True, "account": found.id},
    )


@pytest.mark.parametrize(
    "owner",
    [
        pytest.param(lambda: colleague(Role.supervisor, findable_as_co_supervisor=False), id="not shared"),
        pytest.param(lambda: colleague(Role.admin), id="administrator"),
        pytest.param(lambda: colleague(Role.supervisor, Role.school_staff), id="school staff"),
        pytest.param(lambda: colleague(Role.supervisor, Role.programme_staff), id="programme staff"),
        pytest.param(lambda: colleague(Role.reviewer), id="not a supervisor"),
        pytest.param(lambda: colleague(Role.supervisor, disabled=True), id="disabled"),
        pytest.param(lambda: colleague(Role.supervisor, confirmed=False), id="unconfirmed"),
    ],
)
def test_an_account_that_shares_nothing_answers_as_an_unknown_address(draft, client, owner):
    owner()
    unknown = look_up(client, draft, "nobody@example.org")
    response = look_up(client, draft)
    html = response.get_data(as_text=True)
    assert response.status_code == unknown.status_code == 200
    assert NOT_SHARED in html and "Oyallon" not in html and "CR CNRS" not in html
    assert _page(response, ADDRESS) == _page(unknown, "nobody@example.org")
    # Recorded alike, and the address typed is not kept.
    events = look_ups()
    assert [event.details for event in events] == [{"found": False}, {"found": False}]
    assert not any(ADDRESS in repr((e.actor_label, e.details, e.object_type)) for e in events)


def test_the_script_gets_the_same_answers_as_json(draft, client):
    found = colleague(Role.supervisor)
    answer = look_up(client, draft, Accept="application/json")
    assert answer.status_code == 200 and answer.json["status"] == "found"
    assert answer.json["message"] == FOUND
    assert answer.json["fields"] == {
        "co_supervisor-last_name": "Oyallon",
        "co_supervisor-first_name": "Edouard",
        "co_supervisor-title": "CR CNRS",
        "co_supervisor-email": ADDRESS,
        # A unit of the list is chosen in it; the fields for a typed unit are emptied.
        "co_supervisor-unit-listed": found.research_unit.code,
        "co_supervisor-unit-acronym": "",
        "co_supervisor-unit-name": "",
        "co_supervisor-unit-code": "",
    }
    found.findable_as_co_supervisor = False
    db.session.commit()
    hidden = look_up(client, draft, Accept="application/json")
    unknown = look_up(client, draft, "nobody@example.org", Accept="application/json")
    assert hidden.status_code == unknown.status_code == 200
    assert hidden.json == unknown.json and hidden.json["fields"] == {}
    assert hidden.json["status"] == "unknown" and NOT_SHARED in hidden.json["message"]


def test_a_co_editor_who_accepted_and_oneself_are_found(draft, client, other_client):
    co_editor = colleague(Role.supervisor, findable_as_co_supervisor=False)
    draft.editors.append(ProposalEditor(email=ADDRESS))
    db.session.commit()
    assert NOT_SHARED in look_up(client, draft).get_data(as_text=True)  # invited, not accepted yet
    draft.editors[0].user, draft.editors[0].accepted_at = co_editor, utcnow()
    db.session.commit()
    assert FOUND in look_up(client, draft).get_data(as_text=True)
    # The co-editor fills the block with their own details.
    other_client.sign_in_user(co_editor)
    assert FOUND in look_up(other_client, draft).get_data(as_text=True)


@pytest.mark.parametrize("address", ["", "not an address", "a@b"])
def test_a_bad_address_is_said_beside_the_field_and_not_counted(draft, client, address):
    response = look_up(client, draft, address, Accept="text/html")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Type the co-supervisor&#39;s full e-mail address" in html
    assert 'value="Lamprier"' in html
    assert look_ups() == []


@pytest.mark.parametrize("config_overrides", [{"CO_SUPERVISOR_LOOKUP_RATE_LIMIT": "2 per hour"}])
def test_look_ups_are_limited_per_account(draft, client, other_client, config_overrides):
    colleague(Role.supervisor)
    assert [look_up(client, draft).status_code for _ in range(2)] == [200, 200]
    refused = look_up(client, draft)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "Too many look-ups in a short time" in html and "Oyallon" not in html
    assert 'value="Lamprier"' in html  # nothing typed is lost
    assert look_up(client, draft, Accept="application/json").json["status"] == "limited"
    assert len(look_ups()) == 2
    # Another director, from the same address, has their own allowance.
    other = factories.proposal()
    other_client.sign_in_user(other.owner)
    assert look_up(other_client, other).status_code == 200


def test_only_the_editors_may_look_up(draft, client, other_client):
    colleague(Role.supervisor)
    reader = factories.user(None, Role.programme_staff, scope=draft.initiative, two_factor=True)
    other_client.sign_in_user(reader)
    assert look_up(other_client, draft).status_code == 403
    assert look_ups() == []


def test_supervisors_choose_in_their_profile_and_staff_are_not_asked(app_context, client):
    supervisor = factories.user("ada@example.org")
    client.sign_in_user(supervisor)
    label = "Let thesis directors fill in my details from my e-mail address"
    html = client.get("/account/profile").get_data(as_text=True)
    assert label in html and "checked" not in html.split(label)[0].rsplit("<input", 1)[1]
    profile = {"last_name": "Lovelace", "first_name": "Ada", "findable_as_co_supervisor": "y"}
    assert client.submit("/account/profile", profile).status_code == 302
    db.session.refresh(supervisor)
    assert supervisor.findable_as_co_supervisor is True
    client.submit("/account/profile", {"last_name": "Lovelace", "first_name": "Ada"})
    db.session.refresh(supervisor)
    assert supervisor.findable_as_co_supervisor is False
    client.sign_out()

    staff = factories.user("staff@example.org", Role.supervisor, Role.school_staff, two_factor=True)
    client.sign_in_user(staff)
    assert label not in client.get("/account/profile").get_data(as_text=True)
    client.submit("/account/profile", profile)
    db.session.refresh(staff)
    assert staff.findable_as_co_supervisor is False
