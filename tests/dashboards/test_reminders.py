"""Reminders to the directors of unsubmitted drafts in the staff member's scope, before the deadline.

Two steps: a page says who will be reminded of which drafts, and only its POST sends the e-mails.
"""

from datetime import timedelta

from portal.db import utcnow
from portal.extensions import db
from tests import factories

NOTHING = "No director to remind: no unsubmitted draft in an open call before its deadline."


def _confirm(client, **args):
    return client.get("/staff/proposals/remind", query_string=args, follow_redirects=True)


def _remind(client, **data):
    return client.submit("/staff/proposals/remind", data, page="/staff/proposals/", follow_redirects=True)


def test_the_confirmation_says_who_is_reminded_and_sends_nothing(world, client, mailbox):
    second_owner = factories.user("second.drafter@example.org", last_name="Zola")
    content = factories.complete_content(
        initiative=world.initiative, school=world.school, email=second_owner.email
    )
    for title in ("Draft on rivers", "Draft on lakes"):
        content["title"] = title
        factories.proposal(second_owner, campaign_row=world.call, content=dict(content))
    client.sign_in_user(world.school_staff)
    response = _confirm(client, campaign="2041")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "2 directors will each receive an e-mail" in page
    assert "3 unsubmitted drafts in open calls" in page
    for title in ("Unfinished draft on soils", "Draft on rivers", "Draft on lakes"):
        assert title in page
    assert "drafter@example.org" in page and "second.drafter@example.org" in page
    assert "Send 2 reminders" in page
    # The form carries the filters and a CSRF token to the POST that sends.
    assert 'name="campaign" value="2041"' in page and 'name="csrf_token"' in page
    assert mailbox.messages == []


def test_the_dashboard_links_to_the_confirmation_not_to_a_sending_form(world, client, mailbox):
    client.sign_in_user(world.school_staff)
    page = client.get("/staff/proposals/").get_data(as_text=True)
    assert "/staff/proposals/remind?campaign=2041" in page
    assert 'action="/staff/proposals/remind"' not in page
    assert mailbox.messages == []


def test_school_staff_remind_the_drafts_of_their_school(world, client, mailbox):
    client.sign_in_user(world.school_staff)
    assert "1 director will receive an e-mail" in _confirm(client).get_data(as_text=True)
    page = _remind(client).get_data(as_text=True)
    assert "1 reminder sent." in page
    messages = mailbox.messages
    assert [message["To"] for message in messages] == ["drafter@example.org"]
    assert "Reminder: 1 proposal(s) not submitted yet" in messages[0]["Subject"]
    assert "Unfinished draft on soils" in messages[0].get_body(("plain",)).get_content()


def test_the_post_needs_its_csrf_token(world, client, mailbox):
    client.sign_in_user(world.school_staff)
    response = client.post("/staff/proposals/remind", data={"campaign": "2041"})
    assert response.status_code == 400
    assert mailbox.messages == []


def test_nothing_to_remind_is_refused_with_a_message(world, client, mailbox):
    client.sign_in_user(world.other_school_staff)
    for response in (_confirm(client), _remind(client)):
        page = response.get_data(as_text=True)
        assert NOTHING in page
        assert "reminders sent" not in page and "Send 0 reminders" not in page
    assert mailbox.messages == []


def test_nothing_out_of_scope_or_past_the_deadline(world, client, mailbox):
    # A draft of another school, in a call whose deadline has passed: not reminded either.
    closed = factories.campaign(2042, closes_at=utcnow() - timedelta(days=1))
    closed.initiatives.append(world.initiative)
    db.session.commit()
    factories.proposal(campaign_row=closed)
    world.call.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    client.sign_in_user(world.admin)
    assert NOTHING in _confirm(client).get_data(as_text=True)
    assert NOTHING in _remind(client).get_data(as_text=True)
    assert mailbox.messages == []


def test_programme_staff_remind_the_drafts_of_their_initiative(world, client, mailbox):
    other_call_draft = factories.proposal()  # another initiative, another call
    client.sign_in_user(world.programme_staff)
    page = _confirm(client, campaign="2041").get_data(as_text=True)
    assert "1 director will receive an e-mail" in page
    assert other_call_draft.owner.email not in page
    _remind(client, campaign="2041")
    recipients = [message["To"] for message in mailbox.messages]
    assert recipients == ["drafter@example.org"]
    assert other_call_draft.owner.email not in recipients
