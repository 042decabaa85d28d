"""Administrators invite people, grant and revoke roles, disable accounts."""

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.extensions import db
from tests import factories


def _admin(client):
    admin = factories.user("admin@example.org", Role.admin, two_factor=True)
    client.sign_in_user(admin)
    return admin


def test_invited_reviewer_sets_a_password_once_and_signs_in(app_context, client, other_client, mailbox):
    _admin(client)
    response = client.submit(
        "/admin/users/invite",
        {"email": "Rachid@Example.org", "first_name": "Rachid", "last_name": "Benali", "role": "reviewer"},
    )
    assert response.status_code == 302
    invited = db.session.scalar(select(User).where(User.email == "rachid@example.org"))
    assert invited.roles == {Role.reviewer} and not invited.has_password

    link = mailbox.link_in(mailbox.last_to("rachid@example.org"))
    assert "Rachid" in other_client.get(link).get_data(as_text=True)
    other_client.submit(link, {"password": "reviewer passphrase", "confirm": "reviewer passphrase"})
    assert other_client.get(link).status_code == 400
    assert other_client.sign_in("rachid@example.org", "reviewer passphrase").location == "/"
    assert "Reviewing" in other_client.get("/").get_data(as_text=True)


def test_programme_staff_invitation_needs_an_initiative(app_context, client):
    _admin(client)
    response = client.submit(
        "/admin/users/invite",
        {"email": "p@example.org", "first_name": "P", "last_name": "Q", "role": "programme_staff"},
    )
    html = response.get_data(as_text=True)
    assert "Choose the initiative or institute this person works for." in html
    assert 'value="p@example.org"' in html
    assert db.session.scalar(select(User).where(User.email == "p@example.org")) is None


def test_grant_and_revoke_a_scoped_role(app_context, client):
    _admin(client)
    scai = factories.initiative("SCAI")
    person = factories.user("person@example.org")
    response = client.submit(
        f"/admin/users/{person.id}/grants",
        {"role": "programme_staff", "initiative": str(scai.id), "doctoral_school": ""},
        page=f"/admin/users/{person.id}",
    )
    assert response.status_code == 302
    db.session.refresh(person)
    grant = next(g for g in person.grants if g.role is Role.programme_staff)
    assert grant.initiative.acronym == "SCAI"
    assert "SCAI" in client.get(f"/admin/users/{person.id}").get_data(as_text=True)

    client.submit(f"/admin/users/{person.id}/grants/{grant.id}/revoke", page=f"/admin/users/{person.id}")
    db.session.refresh(person)
    assert person.roles == {Role.supervisor}


def test_a_grant_of_another_user_is_not_found(app_context, client):
    _admin(client)
    one = factories.user("one@example.org")
    two = factories.user("two@example.org")
    grant_of_two = two.grants[0].id
    response = client.submit(f"/admin/users/{one.id}/grants/{grant_of_two}/revoke", page="/admin/users/")
    assert response.status_code == 404


def test_an_admin_cannot_remove_their_own_admin_role(app_context, client):
    admin = _admin(client)
    grant = admin.grants[0]
    client.submit(f"/admin/users/{admin.id}/grants/{grant.id}/revoke", page="/admin/users/")
    db.session.refresh(admin)
    assert admin.is_admin


def test_disabling_an_account_ends_its_sessions(app, app_context, client, other_client):
    _admin(client)
    person = factories.user("person@example.org")
    other_client.sign_in(person.email)
    client.submit(f"/admin/users/{person.id}/disable", page=f"/admin/users/{person.id}")
    assert other_client.get("/account/profile").status_code == 302
    assert other_client.sign_in(person.email).status_code == 200
    client.submit(f"/admin/users/{person.id}/enable", page=f"/admin/users/{person.id}")
    assert other_client.sign_in(person.email).location == "/"


def test_reset_two_factor_lets_the_person_enrol_again(app_context, client):
    _admin(client)
    person = factories.user("person@example.org", two_factor=True)
    client.submit(f"/admin/users/{person.id}/reset-two-factor", page=f"/admin/users/{person.id}")
    db.session.refresh(person)
    assert not person.two_factor_enabled and person.recovery_codes == []


def test_user_list_search_filter_and_pagination(app_context, client):
    _admin(client)
    for number in range(30):
        factories.user(f"someone{number:02d}@example.org")
    factories.user("unique.reviewer@example.org", Role.reviewer)
    first = client.get("/admin/users/").get_data(as_text=True)
    assert "32 accounts" in first and "Page 1 of 2" in first
    found = client.get("/admin/users/?q=unique").get_data(as_text=True)
    assert "unique.reviewer@example.org" in found and "someone00" not in found
    reviewers = client.get("/admin/users/?role=reviewer").get_data(as_text=True)
    assert "1 account" in reviewers


def test_resend_invitation(app_context, client, mailbox):
    _admin(client)
    invited = factories.user("late@example.org", Role.reviewer, password=None, confirmed=False)
    client.submit(f"/admin/users/{invited.id}/resend-invitation", page=f"/admin/users/{invited.id}")
    link = mailbox.link_in(mailbox.last_to("late@example.org"))
    assert link.startswith("/account/invitation/")
    assert client.get(link).status_code == 200


def test_granting_a_role_already_held_says_so_and_a_new_one_is_announced(app_context, client, mailbox):
    _admin(client)
    person = factories.user("person@example.org")
    held = client.submit(f"/admin/users/{person.id}/grants", {"role": "supervisor"}, page="/admin/users/")
    assert held.status_code == 400
    assert "already holds this role" in held.get_data(as_text=True)
    assert mailbox.to("person@example.org") == []

    client.submit(f"/admin/users/{person.id}/grants", {"role": "reviewer"}, page="/admin/users/")
    db.session.refresh(person)
    assert person.roles == {Role.supervisor, Role.reviewer}
    assert mailbox.link_in(mailbox.last_to("person@example.org")) == "/account/sign-in"
