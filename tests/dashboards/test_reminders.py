"""Reminders to the directors of unsubmitted drafts in the staff member's scope, before the deadline."""

from datetime import timedelta

from portal.db import utcnow
from portal.extensions import db
from tests import factories


def _remind(client, **data):
    return client.submit("/staff/proposals/remind", data, page="/staff/proposals/", follow_redirects=True)


def test_school_staff_remind_the_drafts_of_their_school(world, client, mailbox):
    client.sign_in_user(world.school_staff)
    page = _remind(client).get_data(as_text=True)
    assert "1 reminder sent." in page
    messages = mailbox.messages
    assert [message["To"] for message in messages] == ["drafter@example.org"]
    assert "Reminder: 1 proposal(s) not submitted yet" in messages[0]["Subject"]
    assert "Unfinished draft on soils" in messages[0].get_body(("plain",)).get_content()


def test_nothing_out_of_scope_or_past_the_deadline(world, client, mailbox):
    client.sign_in_user(world.other_school_staff)
    assert "0 reminders sent." in _remind(client).get_data(as_text=True)
    assert mailbox.messages == []
    # A draft of another school, in a call whose deadline has passed: not reminded either.
    closed = factories.campaign(2042, closes_at=utcnow() - timedelta(days=1))
    closed.initiatives.append(world.initiative)
    db.session.commit()
    factories.proposal(campaign_row=closed)
    world.call.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    client.sign_out()
    client.sign_in_user(world.admin)
    assert "0 reminders sent." in _remind(client).get_data(as_text=True)
    assert mailbox.messages == []


def test_programme_staff_remind_the_drafts_of_their_initiative(world, client, mailbox):
    other_call_draft = factories.proposal()  # another initiative, another call
    client.sign_in_user(world.programme_staff)
    _remind(client, campaign="2041")
    recipients = [message["To"] for message in mailbox.messages]
    assert recipients == ["drafter@example.org"]
    assert other_call_draft.owner.email not in recipients
