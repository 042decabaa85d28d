"""Reminders of pending reviews from the committee's page: each member's progress, a confirmation
listing exactly who will be e-mailed about what, each reminder sent once, managers only."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.audiences import AUDIENCES, Audience
from portal.audit.models import AuditEvent
from portal.db import utcnow
from portal.extensions import db
from portal.reviews.reviewing import review_of
from portal.reviews.services import assign
from tests import factories
from tests.queries import page_queries
from tests.reviews.reviewer_data import member


@pytest.fixture
def board(desk):
    """Three proposals; `late` has one review not started and one draft, `drafting` one draft,
    `done` submitted theirs, `idle` has nothing assigned."""
    proposals = [
        factories.submitted_proposal(desk.campaign, title=title) for title in ("Alpha", "Beta", "Gamma")
    ]
    late = member(desk, first_name="Lou", last_name="Lambert")
    drafting = member(desk, first_name="Dana", last_name="Dupuis")
    idle = member(desk, first_name="Ida", last_name="Imbert")
    for proposal, reviewer in ((proposals[0], late), (proposals[1], late), (proposals[0], drafting)):
        assignment = assign(committee=desk, proposal=proposal, reviewer=reviewer, assigned_by=desk.staff)
        if (proposal, reviewer) != (proposals[0], late):
            review_of(assignment).comments_committee = "Started."
    db.session.commit()
    done = factories.reviewer(first_name="Théo", last_name="Thomas")
    factories.submitted_review(desk, proposals[2], done, dict.fromkeys(range(4), "3"))
    desk.people = {"late": late, "drafting": drafting, "done": done, "idle": idle}
    desk.proposals = proposals
    return desk


def _reminded_events() -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "reviews.reminded").order_by(AuditEvent.id)
        )
    )


def _path(committee) -> str:
    return f"/reviews/committees/{committee.id}/reminders"


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html).group(1)


def _confirmed(client, committee) -> dict:
    html = client.get(_path(committee)).get_data(as_text=True)
    return {name: _hidden(html, name) for name in ("reviewers", "shown_at")}


def _rows(html: str) -> dict[str, list[str]]:
    """The progress table: reviewer -> the cells after their name."""
    table = html[html.index('id="progress"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]:
        name = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1).strip()
        rows[name] = [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def test_the_committee_page_shows_each_member_s_progress(board, client):
    html = client.get(f"/reviews/committees/{board.id}").get_data(as_text=True)
    assert "1 of 4 reviews submitted." in html
    # Assigned, not started, drafts, submitted, last reminded.
    assert _rows(html) == {
        "Dana Dupuis": ["1", "0", "1", "0", "never"],
        "Ida Imbert": ["0", "0", "0", "0", "never"],
        "Lou Lambert": ["2", "1", "1", "0", "never"],
        "Théo Thomas": ["1", "0", "0", "1", "never"],
    }
    assert f'href="{_path(board)}"' in html


def test_the_confirmation_lists_exactly_the_reviewers_with_pending_reviews(board, client, mailbox):
    response = client.get(_path(board))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 reviewers will each receive an e-mail" in html and "Send 2 reminders" in html
    listed = html[html.index("<tbody>") : html.index("</tbody>")]
    for person in ("late", "drafting"):
        assert board.people[person].email in listed
    for person in ("done", "idle"):
        assert board.people[person].email not in listed
    lou = listed[listed.index("Lou Lambert") :]
    assert "Alpha" in lou and "Not started" in lou and "Beta" in lou and "Draft" in lou
    assert "Gamma" not in listed
    assert mailbox.messages == []


def test_sending_writes_to_each_reviewer_once(board, client, mailbox):
    form = _confirmed(client, board)
    response = client.submit(_path(board), form)
    assert response.status_code == 302 and response.location.endswith("#progress")
    page = client.get(response.location).get_data(as_text=True)
    assert "2 reminders sent." in page
    late, drafting = board.people["late"], board.people["drafting"]
    assert [len(mailbox.to(person.email)) for person in (late, drafting)] == [1, 1]
    assert len(mailbox.messages) == 2
    text = mailbox.text(mailbox.last_to(late.email))
    assert "Alpha" in text and "Beta" in text and "Gamma" not in text
    assert mailbox.link_in(mailbox.last_to(late.email)) == "/reviews/"
    rows = _rows(page)
    assert rows["Lou Lambert"][-1] != "never" and rows["Théo Thomas"][-1] == "never"

    # In the audit log: who sent, to how many, which committee; for the programme's staff.
    (event,) = _reminded_events()
    assert event.actor_id == board.staff.id and (event.object_type, event.object_id) == (
        "committee",
        board.id,
    )
    assert event.details["reminded"] == 2 and event.details["committee"] == str(board)
    assert sorted(event.details["reviewers"]) == sorted([late.email, drafting.email])
    assert AUDIENCES["reviews.reminded"] == {Audience.programme}

    # The button pressed again (or a colleague's older page): nobody is written to twice.
    again = client.submit(_path(board), form)
    assert "0 reminders sent." in client.get(again.location).get_data(as_text=True)
    assert len(mailbox.messages) == 2 and len(_reminded_events()) == 1  # nothing sent, nothing recorded
    # A fresh confirmation may remind them again.
    client.submit(_path(board), _confirmed(client, board))
    assert len(mailbox.messages) == 4


def test_only_the_reviewers_confirmed_are_written_to(board, client, mailbox):
    form = _confirmed(client, board)
    # Assigned after the page was shown: not on the list the staff member saw.
    newcomer = member(board, first_name="Nina", last_name="Noël")
    assign(committee=board, proposal=board.proposals[1], reviewer=newcomer, assigned_by=board.staff)
    db.session.commit()
    client.submit(_path(board), form)
    assert len(mailbox.messages) == 2 and mailbox.to(newcomer.email) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"reviewers": "1,x"},
        {"reviewers": ""},
        {"shown_at": "yesterday"},
        {"shown_at": "2999-01-01T00:00:00+00:00"},
    ],
)
def test_a_tampered_confirmation_sends_nothing(board, client, mailbox, changes):
    response = client.submit(_path(board), _confirmed(client, board) | changes)
    assert response.status_code == 400
    assert "This page is out of date" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_nothing_to_send_once_reviews_are_closed(board, client, mailbox):
    board.review_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    form = {"reviewers": str(board.people["late"].id), "shown_at": utcnow().isoformat()}
    response = client.submit(_path(board), form, page=f"/reviews/committees/{board.id}")
    assert response.status_code == 302
    assert "nobody to remind" in client.get(response.location).get_data(as_text=True)
    assert mailbox.messages == []


def test_the_chair_may_not_send_reminders(board, other_client, mailbox):
    chair = board.people["drafting"]
    board.members[[m.user_id for m in board.members].index(chair.id)].is_chair = True
    db.session.commit()
    other_client.sign_in_user(chair)
    assert other_client.get(_path(board)).status_code == 403
    token = other_client.token("/reviews/")
    form = {"csrf_token": token, "reviewers": str(chair.id), "shown_at": utcnow().isoformat()}
    assert other_client.post(_path(board), data=form).status_code == 403
    assert "Remind the reviewers" not in other_client.get("/reviews/").get_data(as_text=True)
    assert mailbox.messages == []


def test_the_progress_and_the_confirmation_cost_the_same_queries_with_more_reviewers(board, client):
    pages = (f"/reviews/committees/{board.id}", _path(board))
    before = [page_queries(client, path) for path in pages]
    for proposal in board.proposals:
        for _ in range(3):
            reviewer = member(board)
            assign(committee=board, proposal=proposal, reviewer=reviewer, assigned_by=board.staff)
    db.session.commit()
    assert [page_queries(client, path) for path in pages] == before


def test_nothing_to_send_before_reviews_start_and_the_page_says_why(board, client, mailbox):
    board.campaign.closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    response = client.get(_path(board))
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Reviews are not open (the call or an extension of it is still open)" in html
    assert mailbox.messages == []
