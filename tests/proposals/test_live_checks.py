"""Issue 15, point 11: the live checks of the form run the submission's own rules, and say what they
say, in the page's language; the totals and the cap of the doctoral school come from the server too."""

import pytest
from flask_babel import force_locale

from portal.extensions import db
from portal.proposals.content import normalise
from portal.proposals.rules import submission_problems
from portal.timezones import utc_to_paris
from tests import factories
from tests.proposals.test_form_pages import edit_path, posted


@pytest.fixture
def draft(app_context, client):
    owner = factories.user()
    school = factories.doctoral_school(supervision_cap=100)
    target = factories.initiative()
    campaign = factories.campaign()
    campaign.initiatives.append(target)
    content = factories.complete_content(initiative=target, school=school, email=owner.email)
    proposal = factories.proposal(owner, campaign_row=campaign, content=content)
    client.sign_in_user(owner)
    return proposal


def check(client, proposal, **fields):
    answer = client.submit(
        f"/proposals/{proposal.id}/checks", posted(proposal, **fields), page=edit_path(proposal)
    )
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.json


def next_year() -> str:
    from portal.db import utcnow

    return f"{utc_to_paris(utcnow()).year + 1}-01"


def rule_messages(proposal, language: str, change) -> dict[str, str]:
    """The submission rules' own words for the content after `change`, by rule."""
    content = normalise(proposal.content)
    change(content)
    with force_locale(language):
        return {
            p.rule: str(p.message) for p in submission_problems(content, campaign=proposal.campaign) if p.rule
        }


def add_co_supervisor(content):
    content["co_supervisor"] = {**content["director"], "email": "other@example.org", "students": []}


def many_keywords(content):
    content["keywords"] = [f"k{n}" for n in range(9)]


def future_start(content):
    content["director"]["students"][0]["start"] = next_year()


def no_hdr(content):
    content["director"]["hdr"] = False


def everything_wrong(content):
    for change in (many_keywords, future_start, no_hdr, add_co_supervisor):
        change(content)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_live_rule_is_answered_beside_its_field_with_the_rules_own_words(draft, client, language):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    fields = {
        "keywords": "k0; k1; k2; k3; k4; k5; k6; k7; k8",  # nine: semicolons count too
        "director-students-0-start": next_year(),
        # The same person as the director under another address: same first and last names.
        "co_supervisor-last_name": "Lamprier",
        "co_supervisor-first_name": "Sylvain",
        "co_supervisor-email": "other@example.org",
    }
    # No box ticked is how a browser sends "no HDR"; posted() sends it ticked, so post without it.
    unticked = posted(draft, **fields)
    unticked.pop("director-hdr")
    answer = client.submit(f"/proposals/{draft.id}/checks", unticked, page=edit_path(draft)).json
    live = {(p["field"], p["message"]) for p in answer["problems"] if p["live"]}
    expected = rule_messages(draft, language, everything_wrong)
    assert live == {
        ("keywords", expected["keywords"]),
        ("director-students-0-start", expected["start_future"]),
        ("director-hdr", expected["hdr"]),
        ("co_supervisor-email", expected["same_person"]),
    }
    if language == "fr":  # the French catalogue answered, not the English text
        assert (
            expected["start_future"] == "La date de première inscription ne peut pas se situer dans le futur."
        )


def test_what_the_rules_accept_gets_no_live_message_and_other_problems_are_not_live(draft, client):
    answer = check(client, draft, title="")
    assert [p for p in answer["problems"] if p["live"]] == []
    # Shown only on a field the user changed: the page decides with "live".
    assert {"field": "title", "message": "This field is required.", "live": False} in answer["problems"]


def test_the_total_and_the_cap_of_the_school_chosen_come_from_the_server(draft, client):
    capped = draft.content["director"]["doctoral_school"]
    uncapped = factories.doctoral_school(supervision_cap=None).number
    rows = {"director-students-1-name": "Bruno Leroy", "director-students-1-start": "2023-10"}
    rows |= {"director-students-1-funding": "CIFRE", "director-students-1-share": "60 %"}
    over = check(client, draft, **rows)["students"]["director"]
    assert over == {
        "total": 110,
        "cap_label": "cap of the doctoral school: 100 %",
        "warning": "The total share is above the cap of the doctoral school.",
    }
    other = check(client, draft, **rows, **{"director-doctoral_school": uncapped})["students"]["director"]
    assert other == {"total": 110, "cap_label": "", "warning": ""}
    assert capped != uncapped


def test_a_row_left_blank_above_another_keeps_each_message_on_its_own_row(draft, client):
    # Normalising drops the blank row 0: the rules' row 0 is the page's row 1.
    fields = {f"director-students-0-{key}": "" for key in ("name", "start", "funding", "share")}
    fields |= {"director-students-1-name": "Bruno", "director-students-1-start": "2023-13"}
    fields |= {"director-students-1-funding": "CIFRE", "director-students-1-share": "10"}
    problems = check(client, draft, **fields)["problems"]
    assert {
        "field": "director-students-1-start",
        "message": "Enter the month of first enrolment as YYYY-MM.",
        "live": True,
    } in problems
    assert not [p for p in problems if p["field"].startswith("director-students-0-")]


def test_the_check_is_bounded_needs_the_token_saves_nothing_and_only_for_drafts(draft, client):
    path = f"/proposals/{draft.id}/checks"
    version = draft.version
    assert client.post(path, data=posted(draft)).status_code == 400  # no CSRF token
    huge = client.submit(path, posted(draft, title="x" * 70_000), page=edit_path(draft))
    assert huge.status_code == 413 and huge.json["status"] == "too_large"
    check(client, draft, title="Not saved")
    db.session.refresh(draft)
    assert draft.version == version and draft.content["title"] != "Not saved"
    client.submit(edit_path(draft), posted(draft, action="submit"))
    db.session.refresh(draft)
    assert draft.state.value == "submitted"
    late = client.submit(path, posted(draft), page=f"/proposals/{draft.id}")
    assert late.status_code == 409
