"""Programme staff choose what a call publishes and unpublish; the director corrects the public
version. Each change is in the audit log; the submitted proposal never changes."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.catalogue.models import RevisionSource
from portal.extensions import db
from portal.proposals.printing import submitted_content
from tests import factories
from tests.catalogue import world as worlds


@pytest.fixture
def world(app_context):
    return worlds.build()


def _events(action: str) -> list[AuditEvent]:
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
    )


def test_programme_staff_choose_the_policy(client, world):
    client.sign_in_user(world.staff)
    page = f"/catalogue/calls/{world.campaign.id}"
    html = client.get(page).get_data(as_text=True)
    assert "Subject funded" in html and "Duplicate of another subject" in html
    response = client.submit(page, {"policy": "funded"})
    assert response.status_code == 302
    assert client.get("/subjects/2021/?lang=en").get_data(as_text=True).count("Subject waiting") == 0
    assert _events("publication.policy_set")[-1].details == {
        "policy": "funded",
        "previous": "funded_and_waiting",
    }
    assert client.submit(page, {"policy": "everything"}).status_code == 400


def test_unpublish_needs_a_reason_is_audited_and_hides_the_subject(client, world):
    client.sign_in_user(world.staff)
    funded = world.subject("funded")
    path = f"/catalogue/subjects/{funded.id}/unpublish"
    refused = client.submit(path, {"reason": " "}, page=f"/catalogue/calls/{world.campaign.id}")
    assert refused.status_code == 400 and "Say why the subject is unpublished." in refused.get_data(
        as_text=True
    )
    client.submit(
        path, {"reason": "Position withdrawn by the lab"}, page=f"/catalogue/calls/{world.campaign.id}"
    )
    client.sign_out()
    assert client.get(world.url("funded")).status_code == 404
    assert _events("subject.unpublished")[-1].details == {"reason": "Position withdrawn by the lab"}
    client.sign_in_user(world.staff)
    client.submit(f"/catalogue/subjects/{funded.id}/republish", page=f"/catalogue/calls/{world.campaign.id}")
    client.sign_out()
    assert client.get(world.url("funded")).status_code == 200


def test_staff_of_another_initiative_see_none_of_the_call(client, world):
    other = factories.user("other-staff@example.org", Role.programme_staff, two_factor=True)
    client.sign_in_user(other)
    assert client.get(f"/catalogue/calls/{world.campaign.id}").status_code == 403
    assert (
        client.submit(
            f"/catalogue/subjects/{world.subject('funded').id}/unpublish", {"reason": "x"}, page="/"
        ).status_code
        == 404
    )


def test_the_director_corrects_the_public_version_with_its_history(client, other_client, world):
    proposal = world.subjects["funded"]
    before = submitted_content(proposal)
    subject = world.subject("funded")
    client.sign_in_user(proposal.owner)
    view = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/catalogue/subjects/{subject.id}/correct" in view
    path = f"/catalogue/subjects/{subject.id}/correct"
    form = client.get(path).get_data(as_text=True)
    assert 'value="apply@lab.test"' in form
    fields = {
        "title": "Subject funded, corrected",
        "keywords": "deep learning; memorisation",
        "description": subject.content["description"],
        "contact_email": "new-contact@lab.test",
        "note": "typo in the title",
    }
    bad = client.submit(path, {**fields, "keywords": " ; "})
    assert bad.status_code == 400 and "Between 1 and 8 keywords." in bad.get_data(as_text=True)
    assert "Subject funded, corrected" in bad.get_data(as_text=True)  # nothing typed is lost
    assert client.submit(path, fields).status_code == 302
    public = other_client.get(world.url("funded")).get_data(as_text=True)
    assert "Subject funded, corrected" in public and "memorisation" in public
    assert "new-contact@lab.test" in public and "apply@lab.test" not in public
    client.submit(path, {**fields, "position_filled": "y", "note": "position filled"})
    db.session.refresh(subject)
    assert [r.source for r in subject.revisions] == [RevisionSource.submission] + [
        RevisionSource.correction
    ] * 2
    assert submitted_content(proposal) == before  # the submitted version stays as it was
    public = other_client.get(world.url("funded")).get_data(as_text=True)
    assert "Position filled" in public and "applications are closed" in public
    assert [e.details for e in _events("subject.corrected")] == [
        {"revision": 2, "note": "typo in the title"},
        {"revision": 3, "note": "position filled"},
    ]
    history = client.get(path).get_data(as_text=True)
    assert "typo in the title" in history and "Submitted version" in history


def test_a_subject_not_public_cannot_be_corrected_and_others_find_nothing(client, world):
    hidden = world.subject("unpublished")
    client.sign_in_user(world.subjects["unpublished"].owner)
    page = client.get(f"/catalogue/subjects/{hidden.id}/correct").get_data(as_text=True)
    assert "there is no public version to correct" in page
    assert (
        client.submit(f"/catalogue/subjects/{hidden.id}/correct", {"title": "x"}, page="/").status_code == 409
    )
    client.sign_out()
    client.sign_in_user(world.subjects["waiting"].owner)
    assert client.get(f"/catalogue/subjects/{world.subject('funded').id}/correct").status_code == 404
