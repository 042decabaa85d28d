"""Two editors of one draft: a stale save merged without asking (Save draft and autosave), and the
side-by-side page for what overlaps only."""

import html as markup
import re

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.forms import form_data
from portal.proposals.merge_saves import base_token
from portal.proposals.models import ProposalEditor
from tests import factories
from tests.proposals.test_form_pages import edit_path, flatten


@pytest.fixture
def draft(app_context, client, other_client):
    """A draft whose director (`client`) and co-editor Marie Curie (`other_client`) are signed in."""
    proposal = factories.proposal()
    curie = factories.user(first_name="Marie", last_name="Curie")
    proposal.editors.append(ProposalEditor(email=curie.email, user=curie, accepted_at=utcnow()))
    db.session.commit()
    client.sign_in_user(proposal.owner)
    other_client.sign_in_user(curie)
    return proposal


def opened(client, proposal) -> dict:
    """The form's fields as the edit page gives them, hidden ones included: a page opened now."""
    page = client.get(edit_path(proposal)).get_data(as_text=True)
    fields = flatten(form_data(proposal.content))
    for name in ("base_version", "base"):
        fields[name] = markup.unescape(
            re.search(rf'name="{name}" type="hidden" value="([^"]*)"', page).group(1)
        )
    return fields


def save(client, proposal, fields, **changes):
    return client.submit(edit_path(proposal), {**fields, "action": "save", **changes})


def autosave(client, proposal, fields, **changes):
    return client.submit(
        f"/proposals/{proposal.id}/autosave", {**fields, **changes}, page=edit_path(proposal)
    )


def test_save_draft_merges_changes_to_different_fields_and_says_whose(draft, client, other_client):
    mine, hers = opened(client, draft), opened(other_client, draft)
    assert save(other_client, draft, hers, keywords="deep learning, memorization").status_code == 302

    response = save(client, draft, mine, title="Memorization and generalization")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Merged with Marie Curie&#39;s changes to Keywords." in page
    db.session.refresh(draft)
    assert draft.content["title"] == "Memorization and generalization"
    assert draft.content["keywords"] == ["deep learning", "memorization"]
    # The history names both sides: the director's revision, merged with Marie Curie's.
    merged, theirs = draft.revisions[-1], draft.revisions[-2]
    assert merged.author == draft.owner and merged.merged_with == theirs.number
    assert theirs.author.last_name == "Curie"
    history = client.get(f"/proposals/{draft.id}/history").get_data(as_text=True)
    assert f"merged with version {theirs.number} by Marie Curie" in history
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "proposal.merged"))
    assert event.actor_id == draft.owner_id and event.details["merged_with"] == theirs.number
    assert event.details["fields"] == ["keywords"]


def test_overlapping_changes_show_only_those_fields_the_others_merged_in_the_form(
    draft, client, other_client
):
    mine, hers = opened(client, draft), opened(other_client, draft)
    save(other_client, draft, hers, title="Her title", keywords="deep learning, memorization")

    response = save(client, draft, mine, title="My title", language="fr")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    conflict = page[page.index('id="conflict"') : page.index('id="proposal-form"')]
    assert "you both changed the fields below" in conflict
    assert "Already in the form, not saved yet: their changes to Keywords." in conflict
    assert re.findall(r"<dt>(.*?)</dt>", conflict) == ["Title of the doctoral research project"]
    form = page[page.index('id="proposal-form"') :]
    assert re.search(r">\s*My title</textarea>", form) and 'value="deep learning, memorization"' in form
    assert re.search(r'value="fr"[^>]*checked|checked[^>]*value="fr"', form)
    db.session.refresh(draft)
    assert draft.content["title"] == "Her title" and draft.content["language"] == "en"

    # Saved from that page: her keywords, my title and my language.
    again = opened(client, draft)
    again.update(title="My title", language="fr")
    again["base_version"] = re.search(r'name="base_version" type="hidden" value="(\d+)"', form).group(1)
    assert save(client, draft, again).status_code == 302
    db.session.refresh(draft)
    assert (draft.content["title"], draft.content["language"]) == ("My title", "fr")
    assert draft.content["keywords"] == ["deep learning", "memorization"]


def test_paragraphs_edited_by_each_merge_and_student_rows_too(draft, client, other_client):
    text = "## Context\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph."
    start = opened(client, draft)
    save(client, draft, start, description=text)
    db.session.refresh(draft)
    mine, hers = opened(client, draft), opened(other_client, draft)
    save(
        other_client,
        draft,
        hers,
        description=text.replace("Second", "Her second"),
        **{"director-students-1-name": "Léo Petit", "director-students-1-share": "20"},
    )
    response = save(client, draft, mine, description=text.replace("First", "My first"))
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.content["description"] == (
        "## Context\n\nMy first paragraph.\n\nHer second paragraph.\n\nThird paragraph."
    )
    assert [row["name"] for row in draft.content["director"]["students"]] == ["Ada Martin", "Léo Petit"]
    message = client.get(response.location).get_data(as_text=True)
    assert (
        "Merged with Marie Curie&#39;s changes to Thesis director › PhD students currently supervised, "
        "Description of the doctoral research project." in message
    )


def test_autosave_merges_and_gives_the_script_the_other_sides_fields(draft, client, other_client):
    mine, hers = opened(client, draft), opened(other_client, draft)
    assert autosave(other_client, draft, hers, **{"director-unit-code": "UMR 9912"}).json["status"] == "saved"

    answer = autosave(client, draft, mine, title="Autosaved title")
    assert answer.status_code == 200 and answer.json["status"] == "merged"
    assert answer.json["message"] == "Merged with Marie Curie's changes to Thesis director › Unit code."
    assert answer.json["fields"] == {"director-unit-code": "UMR9912"} and answer.json["students"] == {}
    db.session.refresh(draft)
    assert answer.json["version"] == draft.version and answer.json["base"] == base_token(draft)
    assert draft.content["title"] == "Autosaved title"
    assert draft.content["director"]["unit"]["code"] == "UMR9912"


def test_autosave_stops_on_overlapping_changes(draft, client, other_client):
    mine, hers = opened(client, draft), opened(other_client, draft)
    autosave(other_client, draft, hers, title="Hers")
    answer = autosave(client, draft, mine, title="Mine")
    assert answer.status_code == 409 and answer.json["status"] == "conflict"
    assert answer.json["message"].startswith("Marie Curie changed the same fields.")
    db.session.refresh(draft)
    assert draft.content["title"] == "Hers"


def test_a_base_not_signed_for_this_version_is_not_used(draft, client, other_client):
    mine, hers = opened(client, draft), opened(other_client, draft)
    save(other_client, draft, hers, keywords="memorization")
    db.session.refresh(draft)
    # The current version's token with the old version number: its content is not that version's.
    forged = {**mine, "base": base_token(draft)}
    response = save(client, draft, forged, title="Mine")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "the saved version is shown here beside it" in page and "Already in the form" not in page
    db.session.refresh(draft)
    assert draft.content["title"] != "Mine"


def test_a_stale_submission_submits_nothing_and_shows_the_merge_to_check(draft, client, other_client):
    mine, hers = opened(client, draft), opened(other_client, draft)
    save(other_client, draft, hers, keywords="deep learning, memorization")
    response = client.submit(edit_path(draft), {**mine, "action": "submit", "title": "Submitted title"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Your changes and theirs do not overlap: check the form, then press the button again." in page
    assert 'value="deep learning, memorization"' in page and re.search(
        r">\s*Submitted title</textarea>", page
    )
    db.session.refresh(draft)
    assert draft.state.value == "draft" and draft.content["title"] != "Submitted title"
