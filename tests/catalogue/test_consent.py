"""The consent box at submission: its wording, what it keeps, and a bad contact address."""

from portal.catalogue.models import CONSENT_WORDING_VERSION, RevisionSource
from portal.catalogue.services import subject_of
from portal.extensions import db
from tests.proposals.test_form_pages import draft, edit_path, posted  # noqa: F401 (the fixture)

CONSENT = {"publication-consent": "y", "publication-contact_email": "team@lab.test"}


def test_the_box_is_in_the_official_wording_in_both_languages(draft, client):  # noqa: F811
    html = client.get(edit_path(draft)).get_data(as_text=True)
    assert "I agree that this project be published online" in html
    assert "Ce texte sera diffusé en ligne" in html
    client.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    french = client.get(edit_path(draft)).get_data(as_text=True)
    assert "J’accepte que ce projet soit diffusé en ligne" in french


def test_a_ticked_box_keeps_the_consent_its_time_wording_and_the_submitted_text(draft, client):  # noqa: F811
    response = client.submit(edit_path(draft), posted(draft, action="submit", **CONSENT))
    assert response.status_code == 302
    subject = subject_of(draft)
    assert subject.consent_at is not None and subject.consent_wording == CONSENT_WORDING_VERSION
    assert subject.contact_email == "team@lab.test"
    assert [r.source for r in subject.revisions] == [RevisionSource.submission]
    assert "students" not in str(subject.content) and "@example.org" not in str(subject.content)


def test_no_box_no_subject_and_a_resubmission_without_it_withdraws_the_consent(draft, client):  # noqa: F811
    client.submit(edit_path(draft), posted(draft, action="submit"))
    assert subject_of(draft) is None
    client.submit(f"/proposals/{draft.id}/reopen", page=f"/proposals/{draft.id}")
    db.session.refresh(draft)
    client.submit(edit_path(draft), posted(draft, action="submit", **CONSENT))
    client.submit(f"/proposals/{draft.id}/reopen", page=f"/proposals/{draft.id}")
    db.session.refresh(draft)
    form = client.get(edit_path(draft)).get_data(as_text=True)
    assert 'value="team@lab.test"' in form  # the last answer, shown again
    client.submit(edit_path(draft), posted(draft, action="submit"))
    subject = subject_of(draft)
    db.session.refresh(subject)
    assert subject.consent_at is None and subject.consent_wording is None


def test_a_bad_contact_address_is_refused_next_to_its_field(draft, client):  # noqa: F811
    fields = posted(draft, action="submit", **{**CONSENT, "publication-contact_email": "not an address"})
    response = client.submit(edit_path(draft), fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="publication-contact_email-error"' in html and 'value="not an address"' in html
    assert subject_of(draft) is None
