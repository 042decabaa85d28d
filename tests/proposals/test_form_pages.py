"""The form as a browser without JavaScript uses it: save, rows, conflicts, submission, receipt."""

import re

import pytest

from portal.extensions import db
from portal.proposals.forms import form_data
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.receipts import send_to_school_and_programme
from tests import factories
from tests.proposals.hostile import many_formulas


def flatten(data, prefix=""):
    """The form's nested data as the flat fields a browser posts (director-unit-code…)."""
    fields = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            fields.update(flatten(value, f"{name}-"))
        elif isinstance(value, list):
            for index, row in enumerate(value):
                fields.update(flatten(row, f"{name}-{index}-"))
        elif isinstance(value, bool):
            if value:
                fields[name] = "y"
        elif value is not None:
            fields[name] = str(value)
    return fields


def posted(proposal, **changes):
    fields = flatten(form_data(proposal.content))
    fields["base_version"] = str(proposal.version)
    fields.update(changes)
    return fields


@pytest.fixture
def draft(app_context, client):
    proposal = factories.proposal()
    client.sign_in_user(proposal.owner)
    return proposal


def edit_path(proposal):
    return f"/proposals/{proposal.id}/edit"


def test_the_form_shows_every_section_in_order(draft, client):
    html = client.get(edit_path(draft)).get_data(as_text=True)
    sections = ["The project", "Thesis director", "Co-supervisor", "Questions", "Description of the doctoral"]
    positions = [html.index(section) for section in sections]
    assert positions == sorted(positions)
    assert 'name="director-students-0-share"' in html and 'value="Lamprier"' in html


def test_save_keeps_every_value_and_redirects(draft, client):
    response = client.submit(edit_path(draft), posted(draft, title="A new title", action="save"))
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.content["title"] == "A new title"


def test_add_and_remove_student_rows_without_javascript(draft, client):
    response = client.submit(
        edit_path(draft), posted(draft, title="Typed, unsaved", action="add-student:director")
    )
    html = response.get_data(as_text=True)
    assert 'name="director-students-1-name"' in html and "Typed, unsaved" in html
    fields = posted(draft, action="remove-student:director:0")
    html = client.submit(edit_path(draft), fields).get_data(as_text=True)
    assert 'name="director-students-0-name"' not in html and "None (Néant)" in html


def test_totals_and_the_cap_warning(app_context, client):
    owner = factories.user()
    school = factories.doctoral_school(supervision_cap=100)
    target = factories.initiative()
    campaign = factories.campaign()
    campaign.initiatives.append(target)
    content = factories.complete_content(initiative=target, school=school, email=owner.email)
    content["director"]["students"] *= 3
    proposal = factories.proposal(owner, campaign_row=campaign, content=content)
    client.sign_in_user(owner)
    html = client.get(edit_path(proposal)).get_data(as_text=True)
    assert re.search(r"3 students</span>,\s*total share <strong data-share-total>150</strong>", html)
    assert "(cap of the doctoral school: 100 %)" in html
    warning = "The total share is above the cap of the doctoral school."
    assert f'data-cap-warning><p class="notice warning">{warning}</p>' in html


def test_a_stale_save_keeps_the_typed_text_and_shows_the_saved_one(draft, client, other_client):
    stale = posted(draft, title="Typed in tab one", action="save")
    client.submit(edit_path(draft), posted(draft, title="Saved from tab two", action="save"))
    response = client.submit(edit_path(draft), stale)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone saved a newer version" in html
    assert 'value="Typed in tab one"' in html or ">Typed in tab one<" in html
    assert "Saved from tab two" in html
    db.session.refresh(draft)
    assert draft.content["title"] == "Saved from tab two"
    # The page now carries the current version: saving again after merging goes through.
    version = re.search(r'name="base_version" type="hidden" value="(\d+)"', html).group(1)
    merged = posted(draft, title="Merged title", action="save", base_version=version)
    assert client.submit(edit_path(draft), merged).status_code == 302


def test_a_refused_submission_shows_each_error_beside_its_field(draft, client):
    fields = posted(draft, action="submit", **{"director-unit-code": "LAB 12", "title": "Kept title"})
    fields.pop("director-hdr")
    response = client.submit(edit_path(draft), fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="director-unit-code-error"' in html and 'id="director-hdr-error"' in html
    assert "must hold an HDR" in html and 'value="LAB 12"' in html
    db.session.refresh(draft)
    assert draft.state is ProposalState.draft and draft.content["director"]["unit"]["code"] == "LAB 12"


def test_submit_then_receipt_reopen_and_resubmit(draft, client):
    response = client.submit(edit_path(draft), posted(draft, action="submit"))
    assert response.status_code == 302 and response.location.endswith(f"/proposals/{draft.id}/receipt")
    receipt = client.get(response.location).get_data(as_text=True)
    assert "Your proposal is submitted." in receipt and f"PRD-{draft.campaign.year}-{draft.id:04d}" in receipt
    db.session.refresh(draft)
    assert draft.state is ProposalState.submitted
    assert client.get(edit_path(draft)).status_code == 302
    reopened = client.submit(f"/proposals/{draft.id}/reopen", page=f"/proposals/{draft.id}")
    assert reopened.location == f"/proposals/{draft.id}/edit"  # reopened to be changed: the form
    db.session.refresh(draft)
    assert draft.state is ProposalState.draft
    response = client.submit(edit_path(draft), posted(draft, action="submit", title="Second version"))
    assert response.status_code == 302
    db.session.refresh(draft)
    submitted = [revision for revision in draft.revisions if revision.submitted]
    assert [revision.content["title"] for revision in submitted][-1] == "Second version" and len(
        submitted
    ) == 2


def test_double_submission_makes_one(draft, client):
    fields = posted(draft, action="submit")
    client.submit(edit_path(draft), fields)
    again = client.submit(edit_path(draft), fields, page=f"/proposals/{draft.id}")
    assert again.status_code in (302, 409)
    db.session.refresh(draft)
    assert sum(revision.submitted for revision in draft.revisions) == 1


def test_autosave_answers_in_json_and_refuses_a_stale_version(draft, client):
    path = f"/proposals/{draft.id}/autosave"
    first = client.submit(path, posted(draft, title="Autosaved"), page=edit_path(draft))
    assert first.status_code == 200 and first.json["status"] == "saved"
    stale = client.submit(path, posted(draft, title="Stale"), page=edit_path(draft))
    assert stale.status_code == 409 and stale.json["status"] == "conflict"
    db.session.refresh(draft)
    assert draft.content["title"] == "Autosaved"


def test_preview_gives_html_and_page_count(draft, client):
    response = client.submit(
        f"/proposals/{draft.id}/preview",
        {"description": "## Title\n\nText with $x^2$."},
        page=edit_path(draft),
    )
    assert response.json["pages"] > 0 and "of 3 pages" in response.json["label"]
    assert "<h2" in response.json["html"] and "$x^2$" not in response.json["html"]


def test_my_proposals_lists_state_and_actions(draft, client):
    html = client.get("/proposals/").get_data(as_text=True)
    assert draft.title in html and "Draft" in html and f"/proposals/{draft.id}/edit" in html


def test_starting_a_proposal_in_an_open_call(app_context, client):
    owner = factories.user()
    campaign = factories.campaign()
    client.sign_in_user(owner)
    response = client.submit("/proposals/new", {"campaign": campaign.id}, page="/proposals/")
    assert response.status_code == 302
    assert db.session.query(Proposal).filter_by(owner_id=owner.id).count() == 1


def test_no_new_proposal_in_a_closed_call(app_context, client):
    owner = factories.user()
    campaign = factories.campaign(open_now=False)
    client.sign_in_user(owner)
    client.submit("/proposals/new", {"campaign": campaign.id}, page="/proposals/")
    assert db.session.query(Proposal).filter_by(owner_id=owner.id).count() == 0


def test_the_director_receives_the_receipt_by_e_mail_once(draft, client, mailbox):
    fields = posted(draft, action="submit")
    client.submit(edit_path(draft), fields)
    client.submit(edit_path(draft), fields, page=f"/proposals/{draft.id}")
    receipts = [m for m in mailbox.to(draft.owner.email) if "Proposal submitted" in m["Subject"]]
    assert len(receipts) == 1
    assert f"PRD-{draft.campaign.year}-{draft.id:04d}" in mailbox.text(receipts[0])


def test_the_profile_can_be_updated_from_the_director_block(draft, client):
    fields = posted(
        draft,
        action="save",
        update_profile="y",
        **{"director-title": "Professeure", "director-unit-code": "UMR 8001"},
    )
    fields["director-unit-acronym"], fields["director-unit-name"] = (
        "LPSM",
        "Probabilités, statistique et modélisation",
    )
    client.submit(edit_path(draft), fields)
    owner = db.session.get(type(draft.owner), draft.owner_id)
    db.session.refresh(owner)
    # Not in the list: kept on the profile as typed, normalised; the list is the administrators'.
    assert owner.title == "Professeure" and owner.research_unit is None
    assert (owner.unit_acronym, owner.unit_code) == ("LPSM", "UMR8001")


def test_the_form_takes_a_unit_from_the_list_or_typed(draft, client):
    listed = factories.research_unit("UMR7606")
    fields = posted(draft, action="save", **{"co_supervisor-last_name": "Oyallon"})
    fields.update({"director-unit-listed": "UMR7606", "director-unit-acronym": "", "director-unit-name": ""})
    fields.update({"director-unit-code": "", "co_supervisor-unit-acronym": "LPSM"})
    fields.update({"co_supervisor-unit-name": "Probabilités", "co_supervisor-unit-code": "umr 8001"})
    assert client.submit(edit_path(draft), fields).status_code == 302
    db.session.refresh(draft)
    assert draft.content["director"]["unit"] == {
        "acronym": listed.acronym,
        "name": listed.name,
        "code": "UMR7606",
    }
    assert draft.content["co_supervisor"]["unit"] == {
        "acronym": "LPSM",
        "name": "Probabilités",
        "code": "UMR8001",
    }
    html = client.get(edit_path(draft)).get_data(as_text=True)
    assert '<option selected value="UMR7606">' in html and 'value="UMR8001"' in html


def test_the_co_supervisor_is_filled_from_their_portal_profile(draft, client):
    unit = factories.research_unit("UMR7606")
    factories.user(
        "co@example.org",
        first_name="Edouard",
        last_name="Oyallon",
        title="CR CNRS",
        research_unit=unit,
        findable_as_co_supervisor=True,  # their choice (tests/proposals/test_co_supervisor_lookup.py)
    )
    fields = posted(draft, action="find-co-supervisor", **{"co_supervisor-email": "co@example.org"})
    html = client.submit(f"/proposals/{draft.id}/co-supervisor", fields, page=edit_path(draft)).get_data(
        as_text=True
    )
    assert 'value="Oyallon"' in html and 'value="CR CNRS"' in html and 'value="UMR7606"' in html


def test_the_school_and_the_programme_receive_the_named_pdf(draft, client, mailbox):
    client.submit(edit_path(draft), posted(draft, action="submit"))
    school_address = draft.director_school.contact_email
    message = mailbox.last_to(school_address)
    assert draft.campaign.contact_email in message["To"]
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    expected = f"{draft.initiative.acronym} – AAP {draft.campaign.year} – LAMPRIER.pdf"
    assert attachments[0].get_filename() == expected
    assert attachments[0].get_content().startswith(b"%PDF")


def test_the_school_is_told_even_when_the_pdf_cannot_be_made(app, app_context, mailbox):
    scai = factories.initiative("SCAI")
    call = factories.campaign()
    call.initiatives.append(scai)
    proposal = factories.submitted_proposal(call)
    # Saved before the limits existed: the PDF is refused before any rendering, and the message
    # goes without its attachment. (The time limits stop renders in a real worker process:
    # tests/proposals/test_render_limits.py.)
    revision = proposal.submitted_revision
    revision.content = {**revision.content, "description": many_formulas()}
    db.session.commit()
    with app.test_request_context():
        send_to_school_and_programme(proposal)
    db.session.commit()
    message = mailbox.last_to(proposal.director_school.contact_email)
    assert list(message.iter_attachments()) == []
    text = message.get_body(("plain",)).get_content()
    assert "Le PDF officiel n’a pas pu être joint" in text
    assert f"/proposals/{proposal.id}" in text


def with_co_supervisor(fields: dict, email: str = "edouard@example.net") -> dict:
    return {
        **fields,
        "co_supervisor-last_name": "Oyallon",
        "co_supervisor-first_name": "Edouard",
        "co_supervisor-title": "CR CNRS",
        "co_supervisor-email": email,
        "co_supervisor-unit-acronym": "LIP6",
        "co_supervisor-unit-name": "LIP6",
        "co_supervisor-unit-code": "UMR7606",
        "co_supervisor-doctoral_school_other": "ED of Montréal",
    }


def test_the_co_supervisor_gets_the_receipt_too(draft, client, mailbox):
    factories.user("edouard@example.net")  # an account that confirmed this address
    response = client.submit(edit_path(draft), with_co_supervisor(posted(draft, action="submit")))
    copy = mailbox.last_to("edouard@example.net")
    assert "Proposal submitted" in copy["Subject"]
    # Written to the co-supervisor, not to the director: their name, and no actions they cannot take.
    text = mailbox.text(copy)
    assert text.startswith("Hello Edouard") and draft.owner.display_name not in text.splitlines()[0]
    assert "of which you are the co-supervisor" in text
    assert "you can reopen" not in text and "the director may reopen" in text
    director_copy = mailbox.text(mailbox.last_to(draft.owner.email))
    assert f"Hello {draft.owner.display_name}" in director_copy and "you can reopen" in director_copy
    assert "was not sent" not in director_copy
    assert "was not sent" not in client.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "The co-supervisor (edouard@example.net) was not sent this receipt"),
        ("fr", "La personne qui co-encadre (edouard@example.net) n’a pas reçu cet accusé de réception"),
    ],
)
def test_a_co_supervisor_the_portal_does_not_know_gets_no_receipt_and_the_director_is_told_why(
    draft, client, mailbox, language, expected
):
    draft.owner.locale = language
    db.session.commit()
    factories.user("edouard@example.net", confirmed=False, locale="en")
    response = client.submit(edit_path(draft), with_co_supervisor(posted(draft, action="submit")))
    assert response.status_code == 302
    assert mailbox.to("edouard@example.net") == []
    receipt = mailbox.text(mailbox.last_to(draft.owner.email))
    assert expected in receipt
    page = client.get(response.location).get_data(as_text=True)
    assert expected in page


def test_a_title_typed_on_two_lines_is_saved_on_one_and_both_messages_go(draft, client, mailbox):
    # The title is a text area: a line break in it once made the submission answer 500 after its
    # commit (a mail header cannot hold one), leaving a submitted proposal that nobody was told of.
    fields = posted(draft, action="submit", title="Memorization\r\n  in deep networks\r\n")
    response = client.submit(edit_path(draft), fields)
    assert response.status_code == 302 and response.location.endswith("/receipt")
    db.session.refresh(draft)
    assert draft.title == "Memorization in deep networks"
    assert draft.submitted_revision.content["title"] == "Memorization in deep networks"
    assert "Proposal submitted" in mailbox.last_to(draft.owner.email)["Subject"]
    school = mailbox.last_to(draft.director_school.contact_email)
    assert (
        school["Subject"] == f"PRD PRD-{draft.campaign.year}-{draft.id:04d} – Memorization in deep networks"
    )
    assert len(mailbox.messages) == 2


def test_keywords_separated_by_semicolons_are_counted_and_printed_with_commas(draft, client):
    ten = "; ".join(f"word {n}" for n in range(1, 11))
    response = client.submit(edit_path(draft), posted(draft, action="submit", keywords=ten))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="keywords-error"' in html and "Give between 1 and 8 keywords." in html
    db.session.refresh(draft)
    assert draft.state is ProposalState.draft and len(draft.content["keywords"]) == 10

    mixed = "memory; attention, transformers;learning"
    response = client.submit(edit_path(draft), posted(draft, action="save", keywords=mixed))
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.content["keywords"] == ["memory", "attention", "transformers", "learning"]
    # The form shows them with one separator, as the PDF does (it joins the same list).
    assert 'value="memory, attention, transformers, learning"' in client.get(edit_path(draft)).get_data(
        as_text=True
    )


@pytest.mark.parametrize("typed", ["30 %", "30%", "30\u202f%", " 30 "])
def test_a_share_typed_with_its_percent_sign_is_a_number(draft, client, typed):
    response = client.submit(
        edit_path(draft), posted(draft, action="save", **{"director-students-0-share": typed})
    )
    assert response.status_code == 302
    db.session.refresh(draft)
    assert draft.content["director"]["students"][0]["share"] == 30


def test_a_share_that_is_not_a_number_is_kept_and_refused_at_submit(draft, client):
    fields = posted(draft, action="submit", **{"director-students-0-share": "30 % or so"})
    response = client.submit(edit_path(draft), fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'value="30 % or so"' in html and 'id="director-students-0-share-error"' in html


def test_a_refused_submission_lists_each_problem_with_a_link_to_its_field(draft, client):
    fields = posted(draft, action="submit", **{"director-unit-code": "LAB 12", "keywords": ""})
    fields.pop("director-hdr")
    html = client.submit(edit_path(draft), fields).get_data(as_text=True)
    summary = html.split('id="problems"', 1)[1].split("</section>", 1)[0]
    # In the form's words, each linking to the input that holds it.
    for anchor, label in [
        ("keywords", "Keywords:"),
        ("director-unit-code", "Thesis director › Unit code:"),
        ("director-hdr", "Thesis director › I hold an HDR"),
    ]:
        assert f'href="#{anchor}" data-focus-field>{label}' in summary, anchor
        assert f'id="{anchor}"' in html
    assert summary.count("<li>") == 3
