"""Reopening, withdrawal and extension tell the people concerned, through the real SMTP server."""

from datetime import UTC, datetime, timedelta

import pytest
from flask import current_app

from portal.auth.models import Role
from portal.auth.services import find_user
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.co_editing import accept, account_for_invitation, invite_co_editor
from portal.proposals.services import NotAllowedNow, grant_extension, reopen, withdraw
from tests import factories

# 12:00 in Paris (winter time): the e-mails must say 12:00, not the 11:00 stored in UTC.
DEADLINE = datetime(2030, 3, 15, 11, 0, tzinfo=UTC)
CO_SUPERVISOR = "edouard@example.net"


def _co_supervisor(email: str = CO_SUPERVISOR) -> dict:
    return {
        "last_name": "Oyallon",
        "first_name": "Edouard",
        "title": "CR CNRS",
        "email": email,
        "unit": {"acronym": "LIP6", "name": "LIP6", "code": "UMR7606"},
        "doctoral_school": "",
        "doctoral_school_other": "ED of Montréal",
        "students": [],
    }


def _co_editor(proposal, email: str = CO_SUPERVISOR, *, accepted: bool = True) -> None:
    """The director invites `email` to co-edit; the invitee accepts from that address (an account
    without a confirmed address nor a language of its own) unless `accepted` is False."""
    with current_app.test_request_context():
        editor = invite_co_editor(proposal=proposal, email=email, invited_by=proposal.owner)
    if accepted:
        accept(editor=editor, user=account_for_invitation(editor))
    db.session.commit()


@pytest.fixture
def submitted(app_context):
    """A submitted proposal of a French-speaking director, whose co-supervisor accepted, from the
    address named in the proposal, the invitation to co-edit it."""
    target = factories.initiative("SCAI")
    campaign = factories.campaign(2030, closes_at=DEADLINE)
    campaign.initiatives.append(target)
    db.session.commit()
    owner = factories.user("director@example.org", locale="fr", first_name="Sylvain", last_name="Lamprier")
    proposal = factories.submitted_proposal(campaign, owner, co_supervisor=_co_supervisor())
    proposal.director_school.contact_email = "ed130@example.org"
    db.session.commit()
    _co_editor(proposal)
    return proposal


def _signed_in_director(client, proposal):
    client.sign_in_user(proposal.owner)
    return f"/proposals/{proposal.id}"


def test_reopening_tells_the_director_and_co_supervisor_to_submit_again_before_the_deadline(
    submitted, client, mailbox
):
    view = _signed_in_director(client, submitted)
    mailbox.clear()
    assert client.submit(f"{view}/reopen", {}, page=view).status_code == 302

    director = mailbox.last_to("director@example.org")
    assert director["Subject"] == f"Proposition rouverte\u00a0: PRD-2030-{submitted.id:04d}"
    text = mailbox.text(director)
    assert "rouverte par Sylvain Lamprier" in text
    assert "15 mars 2030, 12:00 (heure de Paris)" in text and "soumise à nouveau" in text
    assert f"/proposals/{submitted.id}" in text
    html = director.get_body(("html",)).get_content()
    assert f'href="http://localhost/proposals/{submitted.id}"' in html
    # The co-supervisor chose no language: the director's.
    assert "15 mars 2030" in mailbox.text(mailbox.last_to(CO_SUPERVISOR))
    assert len(mailbox.messages) == 2  # nobody else: the school keeps its PDF until a withdrawal


def test_withdrawal_tells_the_supervisors_and_the_school_and_programme_that_had_the_pdf(
    submitted, client, mailbox
):
    account = find_user(CO_SUPERVISOR)
    account.locale = "en"  # chose English meanwhile
    db.session.commit()
    view = _signed_in_director(client, submitted)
    mailbox.clear()
    assert client.submit(f"{view}/withdraw", {}, page=view).status_code == 302

    assert mailbox.last_to("director@example.org")["Subject"].startswith("Proposition retirée")
    english = mailbox.last_to(account.email)
    assert english["Subject"] == f"Proposal withdrawn: PRD-2030-{submitted.id:04d}"
    assert "withdrawn from AAP 2030 by Sylvain Lamprier" in mailbox.text(english)
    assert "15 March 2030, 12:00 (Paris time)" in mailbox.text(english)

    school = mailbox.last_to("ed130@example.org")
    assert school["To"] == "ed130@example.org, programme@example.org"
    assert school["Subject"] == f"Retirée\u00a0: PRD-2030-{submitted.id:04d} – {submitted.title}"
    text = mailbox.text(school)
    assert "retirée par Sylvain Lamprier" in text and "LAMPRIER" in text and "SCAI" in text
    assert not school.get_payload()[-1].get_filename()  # a notice, no PDF this time
    assert len(mailbox.messages) == 3

    mailbox.clear()
    client.submit(f"{view}/withdraw", {}, page=view)  # a second click changes nothing, says nothing
    assert mailbox.messages == []


@pytest.mark.parametrize(
    "known", ["no account", "unconfirmed account", "invitation not accepted", "co-editor of another proposal"]
)
def test_a_co_supervisor_whose_address_is_not_confirmed_is_told_nothing(app_context, mailbox, known):
    # The director types the co-supervisor's address: the portal writes to it only once its owner
    # showed it is theirs, or anyone could be sent the director's title, dates and name.
    target = factories.initiative("SCAI")
    campaign = factories.campaign(2030, closes_at=DEADLINE)
    campaign.initiatives.append(target)
    db.session.commit()
    owner = factories.user("director@example.org", locale="fr")
    proposal = factories.submitted_proposal(campaign, owner, co_supervisor=_co_supervisor())
    if known == "unconfirmed account":
        factories.user(CO_SUPERVISOR, confirmed=False)
    elif known == "invitation not accepted":
        _co_editor(proposal, accepted=False)
    elif known == "co-editor of another proposal":
        _co_editor(factories.submitted_proposal(campaign, factories.user("someone@example.org")))
    mailbox.clear()
    reopen(proposal=proposal, author=owner)
    db.session.commit()
    grant_extension(proposal=proposal, until=DEADLINE + timedelta(days=3), granted_by=factories.user())
    db.session.commit()
    withdraw(proposal=proposal, author=owner)
    db.session.commit()
    assert mailbox.to(CO_SUPERVISOR) == []
    assert len(mailbox.to("director@example.org")) == 3


def test_a_title_stored_with_a_line_break_still_makes_one_line_subjects(submitted, mailbox):
    # Titles saved before they were folded on save may hold a line break: a header cannot.
    submitted.title = "Memorization\r\nin deep networks\u2028again"
    db.session.commit()
    mailbox.clear()
    withdraw(proposal=submitted, author=submitted.owner)
    db.session.commit()
    school = mailbox.last_to("ed130@example.org")
    expected = f"Retirée\u00a0: PRD-2030-{submitted.id:04d} – Memorization in deep networks again"
    assert school["Subject"] == expected
    assert len(mailbox.messages) == 3


def test_a_draft_never_submitted_is_withdrawn_without_telling_the_school(app_context, mailbox):
    proposal = factories.proposal(factories.user("ada@example.org", locale="en"))
    mailbox.clear()
    withdraw(proposal=proposal, author=proposal.owner)
    db.session.commit()
    assert [m["To"] for m in mailbox.messages] == ["ada@example.org"]
    assert "doctoral school" not in mailbox.text(mailbox.messages[0])


def test_an_extension_tells_the_director_the_new_deadline_in_paris_time(submitted, client, mailbox):
    staff = factories.user(None, Role.programme_staff, scope=submitted.initiative, two_factor=True)
    client.sign_in_user(staff)
    view = f"/proposals/{submitted.id}"
    mailbox.clear()
    response = client.submit(f"{view}/extension", {"until": "2030-04-02T16:30"}, page=view)
    assert response.status_code == 302

    director = mailbox.last_to("director@example.org")
    assert director["Subject"] == f"Nouvelle date limite pour votre proposition PRD-2030-{submitted.id:04d}"
    text = mailbox.text(director)
    assert "2 avril 2030, 16:30 (heure de Paris)" in text and staff.display_name in text
    assert "2 avril 2030, 16:30" in mailbox.text(mailbox.last_to(CO_SUPERVISOR))
    assert len(mailbox.messages) == 2


def test_an_extension_that_changes_no_deadline_sends_nothing(submitted, mailbox):
    mailbox.clear()
    grant_extension(proposal=submitted, until=DEADLINE - timedelta(days=1), granted_by=factories.user())
    db.session.commit()
    assert mailbox.messages == []


def test_nothing_is_sent_when_the_change_is_refused(submitted, client, mailbox):
    submitted.campaign.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    view = _signed_in_director(client, submitted)
    mailbox.clear()
    for action in ("reopen", "withdraw"):
        assert client.submit(f"{view}/{action}", {}, page=view).status_code == 302
    with pytest.raises(NotAllowedNow):
        reopen(proposal=submitted, author=submitted.owner)
    db.session.rollback()
    db.session.commit()
    assert mailbox.messages == []
    db.session.refresh(submitted)
    assert submitted.state.value == "submitted"


def test_a_proposal_under_review_is_not_withdrawn_and_nobody_is_told(submitted, mailbox):
    from portal.reviews.services import add_member, assign, committee_of

    committee = committee_of(campaign=submitted.campaign, initiative=submitted.initiative)
    reviewer = factories.reviewer()
    add_member(committee=committee, user=reviewer)
    assign(committee=committee, proposal=submitted, reviewer=reviewer, assigned_by=reviewer)
    db.session.commit()
    factories.close_call(submitted.campaign)  # reviews start once the call has closed
    mailbox.clear()
    with pytest.raises(NotAllowedNow):
        withdraw(proposal=submitted, author=submitted.owner)
    db.session.rollback()
    assert mailbox.messages == []
