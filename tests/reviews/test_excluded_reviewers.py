"""The people a director asks not to review the proposal: typed in the form, kept in prd/1, seen by
the committee's programme staff only, and a suspected conflict for a reviewer who matches one."""

import json
from pathlib import Path

import pytest

from portal.auth.models import Role
from portal.extensions import db
from portal.proposals.content import normalise
from portal.proposals.interchange import export_document, import_document, validate_document
from portal.reviews.conflicts import ConflictStatus, conflicts_of, in_conflict
from portal.reviews.services import add_member, assign, committee_of
from tests import factories
from tests.proposals.test_form_pages import posted

EXAMPLE = Path(__file__).parents[1] / "proposals" / "data" / "prd-2021-memorization.json"


@pytest.fixture
def call(app_context):
    scai = factories.initiative("SCAI")
    campaign = factories.campaign(2021)
    campaign.initiatives.append(scai)
    db.session.commit()
    factories.doctoral_school("ED130", acronym="EDITE")
    return campaign


def test_the_director_names_people_in_the_form_and_the_staff_see_them(call, client, other_client):
    proposal = factories.proposal(campaign_row=call)
    client.sign_in_user(proposal.owner)
    html = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert "People who should not review this proposal (optional)" in html
    assert 'name="excluded_reviewers-4-email"' in html and 'name="excluded_reviewers-5-email"' not in html
    # As a browser posts the five rows: the blank ones too.
    fields = posted(
        proposal,
        action="save",
        **{
            "excluded_reviewers-0-name": " Jean Rival ",
            "excluded_reviewers-0-email": "jean.rival@lab.test",
            "excluded_reviewers-3-email": "other@far.test",
        },
    )
    response = client.submit(f"/proposals/{proposal.id}/edit", fields)
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.content["excluded_reviewers"] == [
        {"name": "Jean Rival", "email": "jean.rival@lab.test"},
        {"name": "", "email": "other@far.test"},
    ]
    again = client.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert 'value="jean.rival@lab.test"' in again
    assert (
        client.submit(f"/proposals/{proposal.id}/edit", posted(proposal, action="submit")).status_code == 302
    )
    db.session.refresh(proposal)
    assert proposal.state.value == "submitted" and len(proposal.content["excluded_reviewers"]) == 2

    committee = committee_of(campaign=call, initiative=call.initiatives[0])
    rival = factories.user("jean.rival@lab.test", Role.reviewer, first_name="Jean", last_name="Rival")
    add_member(committee=committee, user=rival)
    db.session.commit()
    assert [(c.kind, c.status) for c in conflicts_of(rival, proposal)] == [
        ("excluded", ConflictStatus.suspected)
    ]
    assert in_conflict(rival, proposal)

    staff = factories.user(
        "staff@example.org", Role.programme_staff, scope=call.initiatives[0], two_factor=True
    )
    other_client.sign_in_user(staff)
    board = other_client.get(f"/reviews/committees/{committee.id}/assignments").get_data(as_text=True)
    assert "Jean Rival &lt;jean.rival@lab.test&gt;; &lt;other@far.test&gt;" in board

    # A reviewer who is assigned reads the proposal, never the names the director gave.
    reader = factories.user("reader@elsewhere.test", Role.reviewer)
    add_member(committee=committee, user=reader)
    assign(committee=committee, proposal=proposal, reviewer=reader, assigned_by=staff)
    db.session.commit()
    other_client.sign_out()
    other_client.sign_in_user(reader)
    for path in (f"/proposals/{proposal.id}", f"/reviews/proposals/{proposal.id}/review"):
        page = other_client.get(path)
        assert page.status_code == 200 and "jean.rival" not in page.get_data(as_text=True), path


def test_a_name_or_an_address_too_long_is_refused_next_to_its_field(call, client):
    proposal = factories.proposal(campaign_row=call)
    client.sign_in_user(proposal.owner)
    fields = posted(proposal, action="save", **{"excluded_reviewers-1-name": "x" * 151})
    response = client.submit(f"/proposals/{proposal.id}/edit", fields)
    html = response.get_data(as_text=True)
    assert 'id="excluded_reviewers-1-name-error"' in html
    assert "excluded_reviewers" not in proposal.content


def test_a_proposal_that_names_no_one_keeps_its_document():
    assert "excluded_reviewers" not in normalise({"excluded_reviewers": [{"name": " ", "email": ""}]})


def test_prd1_carries_the_list_and_bounds_it(call):
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    example["excluded_reviewers"] = [{"name": "Jean Rival"}, {"email": "foe@far.test"}]
    assert validate_document(example) == []
    proposal = import_document(example)
    db.session.commit()
    assert proposal.content["excluded_reviewers"] == [
        {"name": "Jean Rival", "email": ""},
        {"name": "", "email": "foe@far.test"},
    ]
    assert export_document(proposal)["excluded_reviewers"] == proposal.content["excluded_reviewers"]

    for bad, path in [
        ([{"name": f"P{n}"} for n in range(6)], "excluded_reviewers"),
        ([{}], "excluded_reviewers.0"),
        ([{"email": "not an address"}], "excluded_reviewers.0.email"),
        ([{"name": "x" * 151}], "excluded_reviewers.0.name"),
        ([{"name": "A", "phone": "0102"}], "excluded_reviewers.0"),
    ]:
        example["excluded_reviewers"] = bad
        assert [problem.path for problem in validate_document(example)] == [path], bad


def test_the_chair_reads_the_board_without_acting_nor_the_proposals_they_are_in_conflict_with(call, client):
    committee = committee_of(campaign=call, initiative=call.initiatives[0])
    chair = factories.user(
        "chair@far.test", Role.reviewer, two_factor=True, first_name="Chloé", last_name="Chair"
    )
    add_member(committee=committee, user=chair, chair=True)
    plain = factories.user("plain@far.test", Role.reviewer, two_factor=True)
    add_member(committee=committee, user=plain)
    named = factories.submitted_proposal(call, excluded_reviewers=[{"name": "Jean Rival"}])
    theirs = factories.submitted_proposal(call, excluded_reviewers=[{"name": "Hidden Name"}])
    db.session.commit()
    client.sign_in_user(chair)
    path = f"/reviews/committees/{committee.id}/assignments"
    assert path in client.get("/reviews/").get_data(as_text=True)
    # The chair asked not to review the second proposal: a conflict, so the chair does not see it.
    theirs.content = {
        **theirs.content,
        "excluded_reviewers": [{"name": "Chloé Chair"}, {"name": "Hidden Name"}],
    }
    db.session.commit()
    html = client.get(path).get_data(as_text=True)
    assert "Jean Rival" in html and f"#{named.id} " in html
    assert "Hidden Name" not in html and f"#{theirs.id} " not in html
    assert (
        f'/reviews/committees/{committee.id}/assign"' not in html
        and "Detected conflicts" not in html
        and "Record a conflict" not in html
    )
    data = {"proposal": named.id, "reviewer": plain.id}
    assert client.submit(f"/reviews/committees/{committee.id}/assign", data, page=path).status_code == 403
    assert client.get(f"/reviews/committees/{committee.id}").status_code == 403
    client.sign_out()
    client.sign_in_user(plain)
    assert client.get(path).status_code == 403
    assert path not in client.get("/reviews/").get_data(as_text=True)
