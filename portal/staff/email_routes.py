"""Administrators read every e-mail of the portal and may reword it, per language (/admin/emails/)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.auth.permissions import admin_required
from portal.extensions import db
from portal.notifications import overrides
from portal.notifications.catalogue import KINDS
from portal.notifications.models import EmailTemplateOverride
from portal.notifications.samples import sample_context
from portal.security import form_view
from portal.staff import bp
from portal.staff.email_forms import EmailTemplateForm

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}


def _kind(template: str, locale: str):
    if template not in KINDS or locale not in overrides.LOCALES:
        abort(404)
    return KINDS[template]


def _default(template: str, locale: str) -> dict[str, str]:
    """The message the files write, with the sample data, in `locale`."""
    context = sample_context(template)
    with force_locale(locale):
        return {
            "subject": render_template(f"emails/{template}.subject.txt", **context).strip(),
            "text": render_template(f"emails/{template}.txt", **context),
        }


@bp.route("/emails/")
@admin_required
def email_templates():
    rows = db.session.scalars(select(EmailTemplateOverride))
    customised = {(row.template, row.locale): row for row in rows}
    return render_template(
        "staff/email_templates.html",
        kinds=sorted(KINDS.values(), key=lambda kind: kind.name),
        customised=customised,
        locales=overrides.LOCALES,
        language_names=LANGUAGE_NAMES,
    )


@bp.route("/emails/<template>/<locale>", methods=["GET", "POST"])
@admin_required
@form_view
def email_template(template: str, locale: str):
    kind = _kind(template, locale)
    row = overrides.find(template, locale)
    form = EmailTemplateForm(obj=row, template=template)
    preview = None
    if form.validate_on_submit():
        if form.submit.data:
            saved = overrides.save(
                template=template,
                locale=locale,
                subject=form.subject.data or "",
                body=form.body.data or "",
                by=current_user,
            )
            db.session.commit()
            if saved is None:
                flash(_("The default wording is used again."), "success")
            else:
                flash(_("The new wording is used from now on."), "success")
            return redirect(url_for("staff.email_template", template=template, locale=locale))
        preview = _preview(template, locale, form.rendered)
    elif form.is_submitted():
        flash(_("Nothing is saved: correct the errors shown below."), "error")
    return render_template(
        "staff/email_template.html",
        kind=kind,
        locale=locale,
        language=LANGUAGE_NAMES[locale],
        row=row,
        form=form,
        default=_default(template, locale),
        preview=preview,
    ), (422 if form.errors else 200)


def _preview(template: str, locale: str, rendered: dict[str, str]) -> dict:
    """What would be sent with the sample data: the typed parts, the default for the others."""
    default = _default(template, locale)
    text = rendered.get("body") or default["text"]
    with force_locale(locale):
        html = overrides.text_to_html(text) if "body" in rendered else None
    subject = " ".join(rendered.get("subject", default["subject"]).split())
    return {"subject": subject, "text": text, "html": html}


@bp.route("/emails/<template>/<locale>/reset", methods=["POST"])
@admin_required
def email_template_reset(template: str, locale: str):
    _kind(template, locale)
    if overrides.reset(template=template, locale=locale, by=current_user):
        db.session.commit()
        flash(_("The default wording is used again."), "success")
    return redirect(url_for("staff.email_template", template=template, locale=locale))
