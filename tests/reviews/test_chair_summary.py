"""The chair's summary: written by the chair and programme staff only, read by the reviewers who
read the reviews, bounded, rendered safely, closed once the decisions are published."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import ChairSummary, Outcome
from portal.reviews.services import add_member, assign
from portal.reviews.summaries import SUMMARY_MAX_CHARS
from tests import factories
from tests.reviews.reviewer_data import desk as make_desk
from tests.reviews.reviewer_data import member

TEXT = "Both reviews praise the **method**; plan the second year."


@pytest.fixture
def desk(app_context):
    desk = make_desk(title="Coastal erosion models")
    desk.path = f"/reviews/proposals/{desk.proposal.id}/summary"
    desk.chair = member(desk.committee)
    add_member(committee=desk.committee, user=desk.chair, chair=True)
    desk.staff = factories.user(None, Role.programme_staff, scope=desk.committee.initiative, two_factor=True)
    db.session.commit()
    return desk


def _saved() -> str | None:
    summary = db.session.scalar(select(ChairSummary))
    db.session.expire_all()
    return summary.body if summary else None


@pytest.mark.parametrize("writer", ["chair", "staff"])
def test_the_chair_and_programme_staff_write_it(desk, client, writer):
    client.sign_in_user(getattr(desk, writer))
    assert "Summary for the director" in client.get(desk.path).get_data(as_text=True)
    assert client.submit(desk.path, {"body": TEXT}).status_code == 302
    assert _saved() == TEXT
    html = client.get(f"/reviews/proposals/{desk.proposal.id}/discussion").get_data(as_text=True)
    assert "<strong>method</strong>" in html
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "summary.saved"))
    assert event.proposal_id == desk.proposal.id and event.actor_id == getattr(desk, writer).id


def test_a_reviewer_reads_it_once_they_read_the_reviews_and_never_writes_it(desk, client):
    client.sign_in_user(desk.chair)
    client.submit(desk.path, {"body": TEXT})
    client.sign_out()
    client.sign_in_user(desk.reviewer)
    # Not before their own review is submitted: the summary is made of the others' reviews.
    assert client.get(desk.path).status_code == 404
    client.submit(desk.review_path, desk.complete_form(base_version="1", action="submit"))
    html = client.get(desk.path).get_data(as_text=True)
    assert "<strong>method</strong>" in html and "<textarea" not in html
    assert client.submit(desk.path, {"body": "Mine now."}).status_code == 403
    assert _saved() == TEXT


def test_a_chair_who_reviews_it_submits_their_own_review_first(desk, client):
    assign(committee=desk.committee, proposal=desk.proposal, reviewer=desk.chair, assigned_by=desk.staff)
    db.session.commit()
    client.sign_in_user(desk.chair)
    html = client.get(desk.path).get_data(as_text=True)
    assert "submit your own review first" in html and "<textarea" not in html
    assert client.submit(desk.path, {"body": TEXT}).status_code == 403


def test_it_is_bounded_and_rendered_safely(desk, client):
    client.sign_in_user(desk.staff)
    too_long = "x" * (SUMMARY_MAX_CHARS + 1)
    response = client.submit(desk.path, {"body": too_long})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "shorten the summary" in html and too_long in html
    assert _saved() is None
    hostile = "<script>alert(1)</script> [link](javascript:alert(2)) <img src=x onerror=alert(3)> *fine*"
    client.submit(desk.path, {"body": hostile})
    html = client.get(desk.path).get_data(as_text=True)
    start = html.index('<div class="markdown">')
    rendered = html[start : html.index("</div>", start)]
    assert "<script>" not in rendered and 'href="javascript' not in rendered and "<img" not in rendered
    assert "<em>fine</em>" in rendered
    client.submit(desk.path, {"body": "  "})
    assert _saved() is None


def test_it_is_closed_once_the_decisions_are_published(desk, client):
    client.sign_in_user(desk.staff)
    client.submit(desk.path, {"body": TEXT})
    proposal = desk.proposal
    desk.committee.funded_contracts = 1
    set_decisions(
        committee=desk.committee,
        ordered_ids=[proposal.id],
        outcomes={proposal.id: Outcome.funded},
        by=desk.staff,
    )
    factories.end_reviews(desk.committee)
    publish_decisions(committee=desk.committee, by=desk.staff)
    db.session.commit()
    html = client.get(desk.path).get_data(as_text=True)
    assert "the director has received this summary" in html and "<textarea" not in html
    response = client.submit(desk.path, {"body": "Too late."})
    assert response.status_code == 409 and "can no longer be changed" in response.get_data(as_text=True)
    assert _saved() == TEXT


def test_the_director_s_school_never_reads_it(desk, client):
    client.sign_in_user(desk.staff)
    client.submit(desk.path, {"body": TEXT})
    client.sign_out()
    school = desk.proposal.director_school
    school_staff = factories.user(None, Role.school_staff, scope=school, two_factor=True)
    client.sign_in_user(school_staff)
    assert client.get(f"/proposals/{desk.proposal.id}").status_code == 200
    assert client.get(desk.path).status_code == 404
    assert "Both reviews praise" not in client.get(f"/proposals/{desk.proposal.id}").get_data(as_text=True)
