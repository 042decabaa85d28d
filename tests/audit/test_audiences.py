"""A proposal's trail read as every role: each sees the events meant for them, and no one outside
the programme learns from it who reviews (the reviewers' e-mail addresses in particular)."""

import re
from datetime import timedelta

import pytest

from portal.audit.actions import ACTIONS
from portal.audit.audiences import AUDIENCES
from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.proposals import co_editing
from portal.proposals.services import grant_extension, submit
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import ConflictSource, Outcome
from portal.reviews.services import add_member, assign, declare_conflict
from tests import factories
from tests.audit.conftest import recorded_actions
from tests.proposals.test_form_pages import posted

LIFE = {
    "Proposal created",
    "Co-editor invited",
    "Co-editor invitation accepted",
    "Proposal submitted",
    "Extension granted",
}
COMMITTEE = {"Reviewer assigned", "PDF downloaded", "Review submitted", "Conflict of interest recorded"}
DECISION = {"Decision published to the director"}
LOOKUP = {"Co-supervisor looked up by e-mail"}


@pytest.fixture
def story(app, committee, client, mailbox):
    """A proposal's whole life: written with a co-editor, its co-supervisor looked up, submitted,
    extended, reviewed, decided."""
    people = {
        "admin": factories.user(None, Role.admin, two_factor=True),
        "programme": factories.user(None, Role.programme_staff, scope=committee.initiative, two_factor=True),
        "other_programme": factories.user(None, Role.programme_staff, two_factor=True),
        "other_school": factories.user(None, Role.school_staff, two_factor=True),
        "reviewer": factories.reviewer(),
        "co_editor": factories.user("co@example.org"),
    }
    proposal = factories.proposal(campaign_row=committee.campaign)
    people["director"] = proposal.owner
    people["school"] = factories.user(
        None, Role.school_staff, scope=proposal.director_school, two_factor=True
    )
    conflicted = factories.reviewer()
    with app.test_request_context():  # the e-mails' links are built for a request
        editor = co_editing.invite_co_editor(
            proposal=proposal, email="co@example.org", invited_by=proposal.owner
        )
        co_editing.accept(editor=editor, user=people["co_editor"])
        db.session.commit()
    client.sign_in_user(proposal.owner)
    fields = posted(proposal, **{"co_supervisor-email": "co@example.org"})
    lookup = client.submit(
        f"/proposals/{proposal.id}/co-supervisor", fields, page=f"/proposals/{proposal.id}/edit"
    )
    assert lookup.status_code == 200
    client.sign_out()
    with app.test_request_context():
        submit(proposal=proposal, content=None, base_version=proposal.version, author=proposal.owner)
        until = proposal.deadline + timedelta(days=2)
        grant_extension(proposal=proposal, until=until, granted_by=people["programme"])
        add_member(committee=committee, user=people["reviewer"])
        assign(
            committee=committee,
            proposal=proposal,
            reviewer=people["reviewer"],
            assigned_by=people["programme"],
        )
        add_member(committee=committee, user=conflicted)
        declare_conflict(proposal=proposal, user=conflicted, source=ConflictSource.staff, reason="Co-author")
        db.session.commit()
    for reader in ("reviewer", "school"):
        client.sign_in_user(people[reader])
        assert client.get(f"/proposals/{proposal.id}/pdf").status_code == 200
        client.sign_out()
    # Reviews start once the extension has run out too.
    proposal.extended_until = utcnow() - timedelta(seconds=1)
    factories.submitted_review(committee, proposal, people["reviewer"], {0: "4", 1: "4", 2: "4", 3: "4"})
    committee.funded_contracts = 1
    factories.end_reviews(committee)
    with app.test_request_context():
        outcomes = {proposal.id: Outcome.funded}
        set_decisions(committee=committee, ordered_ids=[proposal.id], outcomes=outcomes, by=people["admin"])
        publish_decisions(committee=committee, by=people["admin"])
        db.session.commit()
    return proposal, people, [people["reviewer"].email, conflicted.email]


def _trail(client, user, proposal):
    """The answer to the trail page, and the event labels it lists."""
    if user is not None:
        client.sign_in_user(user)
    response = client.get(f"/audit/proposals/{proposal.id}")
    html = response.get_data(as_text=True)
    if user is not None:
        client.sign_out()
    return response, html, set(re.findall(r'<td data-label="What">([^<]*)</td>', html))


@pytest.mark.parametrize(
    ("reader", "expected"),
    [
        ("admin", LIFE | COMMITTEE | DECISION | LOOKUP),
        ("programme", LIFE | COMMITTEE | DECISION),
        ("school", LIFE),
        ("director", LIFE | DECISION | LOOKUP),
        ("co_editor", LIFE | DECISION | LOOKUP),
    ],
)
def test_each_reader_sees_the_events_meant_for_them(story, client, reader, expected):
    proposal, people, reviewers = story
    response, html, shown = _trail(client, people[reader], proposal)
    assert response.status_code == 200
    assert shown == expected
    committee_side = reader in ("admin", "programme")
    for email in reviewers:
        assert (email in html) is committee_side, (reader, email)
    # Where each event came from is for staff; the applicants read what was done.
    assert ("IP address" in html) is (reader in ("admin", "programme", "school"))


@pytest.mark.parametrize(
    ("reader", "status"),
    [("reviewer", 403), ("other_programme", 404), ("other_school", 404), (None, 302)],
)
def test_the_others_are_refused(story, client, reader, status):
    proposal, people, reviewers = story
    response, html, shown = _trail(client, people.get(reader), proposal)
    assert response.status_code == status
    assert shown == set()
    assert not any(email in html for email in reviewers if reader != "reviewer")


def test_editors_find_the_trail_from_their_proposal(story, client):
    proposal, people, _ = story
    client.sign_in_user(people["co_editor"])
    assert f"/audit/proposals/{proposal.id}" in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    client.sign_out()
    client.sign_in_user(people["reviewer"])
    assert "/audit/" not in client.get(f"/proposals/{proposal.id}").get_data(as_text=True)


def test_every_action_has_an_audience():
    # An action missing from the table would be shown to administrators only: say so on purpose.
    assert set(AUDIENCES) == set(ACTIONS)
    assert recorded_actions() - set(AUDIENCES) == set()
