"""The director invites the co-supervisor, who edits this proposal and no other."""

import pytest

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.content import normalise
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


def test_a_newcomer_gives_a_name_sets_a_password_and_lands_in_the_proposal(
    draft, client, other_client, mailbox
):
    link = invite(client, draft, "new.colleague@example.org", mailbox)
    path = link
    password = {"password": "a long enough password", "confirm": "a long enough password"}
    # The name is asked for: the history and "last saved by" show it, not an address.
    refused = other_client.submit(path, password)
    assert refused.status_code == 200
    assert 'id="first_name-error"' in refused.get_data(as_text=True)
    form = {**password, "first_name": "Irène", "last_name": "Joliot", "title": "Maîtresse de conférences"}
    response = other_client.submit(path, form)
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{draft.id}/edit")
    user = db.session.scalar(db.select(User).where(User.email == "new.colleague@example.org"))
    assert user.has_password and user.email_confirmed_at is not None
    assert (user.first_name, user.last_name, user.title) == ("Irène", "Joliot", "Maîtresse de conférences")
    assert other_client.get(f"/proposals/{draft.id}/edit").status_code == 200
    assert user.display_name == "Irène Joliot"


def test_the_invited_co_supervisor_finds_the_name_the_director_typed(draft, client, other_client, mailbox):
    content = dict(draft.content)
    content["co_supervisor"] = {
        **(content.get("co_supervisor") or {}),
        "email": "Marie.Sklodowska@example.org",
        "first_name": "Marie",
        "last_name": "Skłodowska",
        "title": "Professeure",
    }
    draft.content = normalise(content)
    db.session.commit()
    link = invite(client, draft, "marie.sklodowska@example.org", mailbox)
    page = other_client.get(link).get_data(as_text=True)
    assert 'value="Marie"' in page and 'value="Skłodowska"' in page and 'value="Professeure"' in page


def test_a_revoked_invitation_link_no_longer_works(draft, client, other_client, mailbox):
    link = invite(client, draft, "co@example.org", mailbox)
    editor = db.session.scalar(db.select(ProposalEditor).where(ProposalEditor.email == "co@example.org"))
    client.submit(f"/proposals/{draft.id}/co-editors/{editor.id}/revoke", page=f"/proposals/{draft.id}/edit")
    factories.user("co@example.org")
    assert other_client.get(link).status_code == 400


def test_a_tampered_link_is_refused(app_context, client):
    assert client.get("/proposals/co-editing/not-a-token").status_code == 400
