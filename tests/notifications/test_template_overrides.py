"""Administrators reword e-mails on /admin/emails/: checked in a sandbox, used for real, reset."""

from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.notifications import overrides
from portal.notifications.catalogue import KINDS
from portal.notifications.mail import send_template
from portal.notifications.models import EmailTemplateOverride
from portal.notifications.samples import sample_context
from tests import factories

PAGE = "/admin/emails/confirm_email/en"


@pytest.fixture
def admin_client(app_context, client):
    client.sign_in_user(factories.user("admin@example.org", Role.admin, two_factor=True))
    return client


def _confirmation(to: str = "ada@example.org", locale: str = "en") -> None:
    user = factories.user(to, first_name="Ada", last_name="Lovelace")
    with current_app.test_request_context():
        send_template(to=to, template="confirm_email", locale=locale, user=user, url="http://x/confirm/1")
    db.session.commit()


def _save(client, subject: str, body: str, path: str = PAGE):
    return client.submit(path, {"subject": subject, "body": body, "submit": "Save"})


def test_every_template_has_its_entry_and_renders_with_the_samples(app_context):
    subjects = Path(current_app.root_path).parent.joinpath("templates", "emails").glob("*.subject.txt")
    files = {path.name.removesuffix(".subject.txt") for path in subjects}
    assert set(KINDS) == files
    for name, kind in KINDS.items():
        values = kind.values(sample_context(name))
        assert set(values) >= set(kind.variables), name
        body = "\n".join(f"{{{{ {variable} }}}}" for variable in kind.variables)
        assert overrides.check(name, body)


def test_the_list_shows_every_template_and_what_is_customised(admin_client):
    page = admin_client.get("/admin/emails/").get_data(as_text=True)
    assert all(name in page for name in KINDS)
    assert "Customised" not in page
    _save(admin_client, "Welcome, {{ name }}", "")
    assert "Customised" in admin_client.get("/admin/emails/").get_data(as_text=True)


def test_the_edit_page_shows_the_default_the_variables_and_a_preview(admin_client):
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "Confirm your e-mail address — PRD Portal" in page  # the default subject, sample data
    assert "Grace Hopper" in page and "lifetime" in page
    french = admin_client.get("/admin/emails/confirm_email/fr").get_data(as_text=True)
    assert "Confirmez votre adresse" in french

    typed = {"subject": "Hi {{ name }}", "body": "Hello {{ name }},\n\nOpen {{ url }}.", "preview": "Preview"}
    response = admin_client.submit(PAGE, typed)
    preview = response.get_data(as_text=True)
    assert response.status_code == 200 and "Hi Grace Hopper" in preview
    assert "<p>Hello Grace Hopper,</p>" in preview
    assert '<a href="https://prd.example.org/account/confirm/…">' in preview
    assert db.session.scalars(select(EmailTemplateOverride)).all() == []  # a preview saves nothing


def test_an_override_changes_the_delivered_email_and_reset_restores_the_default(admin_client, mailbox):
    body = "Dear {{ name }},\n\nOne click and you are in (for {{ lifetime }}):\n{{ url }}\n\n-- \nPRD team"
    assert _save(admin_client, "Welcome aboard, {{ name }}!", body).status_code == 302
    row = db.session.scalar(select(EmailTemplateOverride))
    assert (row.template, row.locale, row.updated_by.email) == ("confirm_email", "en", "admin@example.org")

    _confirmation()
    message = mailbox.last_to("ada@example.org")
    assert message["Subject"] == "Welcome aboard, Ada Lovelace!"
    text = mailbox.text(message)
    assert text.startswith("Dear Ada Lovelace,") and "http://x/confirm/1" in text and "PRD team" in text
    html = message.get_body(("html",)).get_content()
    assert '<a href="http://x/confirm/1">http://x/confirm/1</a>' in html
    assert "PRD team" not in html  # the layout signs the HTML version itself

    _confirmation("fr@example.org", locale="fr")  # the other language keeps its default
    assert "Confirmez" in mailbox.last_to("fr@example.org")["Subject"]

    page = admin_client.get(PAGE)
    assert admin_client.submit(f"{PAGE}/reset", {}, page=PAGE).status_code == 302
    assert page.status_code == 200 and db.session.scalars(select(EmailTemplateOverride)).all() == []
    _confirmation("again@example.org")
    assert mailbox.last_to("again@example.org")["Subject"] == "Confirm your e-mail address — PRD Portal"

    audited = select(AuditEvent.action).where(AuditEvent.action.startswith("email_template."))
    assert db.session.scalars(audited.order_by(AuditEvent.id)).all() == [
        "email_template.updated",
        "email_template.reset",
    ]


def test_html_in_the_text_is_escaped_in_the_html_version(app_context):
    html = overrides.text_to_html("<b>{{ x }}</b> see https://a.example/p?q=1&r=2.\nline two")
    assert "&lt;b&gt;" in html and '<a href="https://a.example/p?q=1&amp;r=2">' in html
    assert "</a>.<br>" in html


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ name.__class__ }}",
        "{{ url.format.__globals__ }}",
        "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ 'x' * 100000000 }}",
        "{{ 9 ** 9 ** 9 }}",
    ],
)
def test_a_sandbox_escape_is_refused_with_a_message_and_the_text_is_kept(admin_client, source):
    response = _save(admin_client, "", source)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not allowed in an e-mail" in page and 'id="body-error"' in page
    assert source.replace("'", "&#39;") in page  # what was typed is still in the field
    assert db.session.scalars(select(EmailTemplateOverride)).all() == []


def test_a_syntax_error_is_shown_next_to_the_field_with_the_typed_text(admin_client):
    typed = "Hello {{ name }},\n\n{% if url %}Open {{ url }}\n"
    response = _save(admin_client, "Hi {{ name", typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="subject-error"' in page and 'id="body-error"' in page
    assert "Syntax error on line 1" in page and "Syntax error on line 3" in page
    assert 'value="Hi {{ name"' in page and "{% if url %}Open {{ url }}" in page


def test_an_unknown_variable_is_named(admin_client):
    page = _save(admin_client, "Hi {{ first_name }}", "").get_data(as_text=True)
    assert "Unknown variable" in page and "first_name" in page


def test_a_wording_that_fails_on_real_data_falls_back_to_the_default(app_context, mailbox):
    # Saved before a variable was renamed, say: the message must still leave.
    db.session.add(EmailTemplateOverride(template="confirm_email", locale="en", subject="{{ gone }}"))
    db.session.commit()
    _confirmation()
    assert mailbox.last_to("ada@example.org")["Subject"] == "Confirm your e-mail address — PRD Portal"


@pytest.mark.parametrize("role", [Role.supervisor, Role.reviewer, Role.school_staff, Role.programme_staff])
def test_non_admins_are_refused(app_context, client, role):
    client.sign_in_user(factories.user(None, role, two_factor=role is not Role.supervisor))
    assert client.get("/admin/emails/").status_code == 403
    assert client.get(PAGE).status_code == 403
    assert _save(client, "Hacked", "").status_code == 403
    assert db.session.scalars(select(EmailTemplateOverride)).all() == []


def test_unknown_templates_and_languages_are_not_found(admin_client):
    assert admin_client.get("/admin/emails/nope/en").status_code == 404
    assert admin_client.get("/admin/emails/confirm_email/de").status_code == 404
