"""The director invites the co-supervisor, who edits this proposal and no other."""

import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import ProposalEditor
from tests import factories


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


def invite(client, proposal, email, mailbox):
    response = client.submit(
        f"/proposals/{proposal.id}/co-editors", {"email": email}, page=f"/proposals/{proposal.id}/edit"
    )
    assert response.status_code == 302
    link = mailbox.link_in(mailbox.last_to(email))
    assert link.startswith("/proposals/co-editing/")
    return link


def test_an_existing_user_accepts_and_can_edit_this_proposal_only(draft, client, other_client, mailbox):
    co = factories.user("co@example.org")
    other_proposal = factories.proposal()
    link = invite(client, draft, "co@example.org", mailbox)
    other_client.sign_in_user(co)
    assert other_client.get(f"/proposals/{draft.id}/edit").status_code == 404
    path = link
    assert other_client.get(path).status_code == 200
    response = other_client.submit(path, {"action": "accept"})
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{draft.id}/edit")
    assert other_client.get(f"/proposals/{draft.id}/edit").status_code == 200
    assert other_client.get(f"/proposals/{other_proposal.id}/edit").status_code == 404
    # Only the director submits, reopens, withdraws and invites.
    assert other_client.submit(f"/proposals/{draft.id}/withdraw", page="/").status_code == 403
    # The link is used up.
    assert other_client.get(path).status_code == 400


def test_a_newcomer_sets_a_password_and_lands_in_the_proposal(draft, client, other_client, mailbox):
    link = invite(client, draft, "new.colleague@example.org", mailbox)
    path = link
    form = {"password": "a long enough password", "confirm": "a long enough password"}
    response = other_client.submit(path, form)
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{draft.id}/edit")
    user = db.session.scalar(db.select(User).where(User.email == "new.colleague@example.org"))
    assert user.has_password and user.email_confirmed_at is not None
    assert other_client.get(f"/proposals/{draft.id}/edit").status_code == 200


def test_a_revoked_invitation_link_no_longer_works(draft, client, other_client, mailbox):
    link = invite(client, draft, "co@example.org", mailbox)
    editor = db.session.scalar(db.select(ProposalEditor).where(ProposalEditor.email == "co@example.org"))
    client.submit(f"/proposals/{draft.id}/co-editors/{editor.id}/revoke", page=f"/proposals/{draft.id}/edit")
    factories.user("co@example.org")
    assert other_client.get(link).status_code == 400


def test_a_tampered_link_is_refused(app_context, client):
    assert client.get("/proposals/co-editing/not-a-token").status_code == 400
