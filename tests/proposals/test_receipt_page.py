"""Issue 15, point 1: the receipt page speaks to each reader as who they are, and offers only what
they may do: the director alone may reopen, withdraw and invite (permissions.owned_proposal)."""

import pytest

from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import ProposalEditor
from portal.proposals.services import submit
from tests import factories

CO = "marie.dubois@example.org"
HELPER = "helper@example.org"
DIRECTOR = "Sylvain Lamprier"  # as typed in the proposal (factories.complete_content)
DIRECTOR_ONLY = ("Your proposal is submitted.", "you can reopen", "was not sent this receipt", "invite them")


@pytest.fixture
def submitted(app_context):
    """A submitted proposal naming Marie Dubois as co-supervisor, co-edited by her and by a helper."""
    proposal = factories.proposal()
    content = dict(proposal.content)
    content["co_supervisor"] = {
        **content["director"],
        "last_name": "Dubois",
        "first_name": "Marie",
        "email": CO,
        "students": [],
    }
    proposal.content = content
    for email, first, last in ((CO, "Marie", "Dubois"), (HELPER, "Hélène", "Martin")):
        user = factories.user(email, first_name=first, last_name=last)
        db.session.add(ProposalEditor(proposal=proposal, email=email, user=user, accepted_at=utcnow()))
    db.session.commit()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    return proposal


def receipt(client, proposal, user) -> str:
    client.sign_in_user(user)
    return client.get(f"/proposals/{proposal.id}/receipt").get_data(as_text=True)


def test_the_director_is_told_the_copy_went_to_them_and_what_they_can_do(submitted, client):
    page = receipt(client, submitted, submitted.owner)
    assert "Your proposal is submitted." in page
    assert f"A copy of this receipt was sent to {submitted.owner.email}." in page
    assert "you can reopen the proposal" in page


def test_the_co_supervisor_is_greeted_and_told_the_copy_went_to_them_without_the_directors_actions(
    submitted, client
):
    co = db.session.scalar(db.select(factories.User).where(factories.User.email == CO))
    page = receipt(client, submitted, co)
    assert "Hello Marie Dubois," in page
    assert f"{DIRECTOR} submitted this proposal, of which you are the co-supervisor." in page
    assert f"sent to you at {CO}, and to the director at {submitted.owner.email}." in page
    assert "the director may reopen the proposal to change it, or withdraw it." in page
    assert not [text for text in DIRECTOR_ONLY if text in page]


def test_another_co_editor_is_told_the_director_got_the_receipt(submitted, client):
    helper = db.session.scalar(db.select(factories.User).where(factories.User.email == HELPER))
    page = receipt(client, submitted, helper)
    assert "Hello Hélène Martin," in page
    assert f"{DIRECTOR} submitted this proposal, which you co-edit." in page
    assert f"This receipt was sent to the director at {submitted.owner.email}." in page
    assert "of which you are the co-supervisor" not in page
    assert not [text for text in DIRECTOR_ONLY if text in page]


def test_staff_read_what_happened_and_nothing_addressed_to_them(submitted, client):
    staff = factories.user(
        "staff@example.org", Role.programme_staff, scope=submitted.initiative, two_factor=True
    )
    page = receipt(client, submitted, staff)
    assert f"{DIRECTOR} submitted this proposal." in page
    assert "Hello" not in page and "sent to" not in page
    assert not [text for text in DIRECTOR_ONLY if text in page]


def test_the_warning_that_the_co_supervisor_was_not_told_is_the_directors_alone(app_context, client):
    proposal = factories.proposal()
    content = dict(proposal.content)
    content["co_supervisor"] = {
        **content["director"],
        "first_name": "Edouard",
        "email": "unknown@example.net",
        "students": [],
    }
    proposal.content = content
    helper = factories.user(HELPER)
    db.session.add(ProposalEditor(proposal=proposal, email=HELPER, user=helper, accepted_at=utcnow()))
    db.session.commit()
    submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
    db.session.commit()
    assert "was not sent this receipt" in receipt(client, proposal, proposal.owner)
    client.sign_out()
    assert "was not sent this receipt" not in receipt(client, proposal, helper)
