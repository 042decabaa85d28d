"""Administrators list, create and edit reference data, and load it from a file."""

from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.auth.permissions import admin_required
from portal.extensions import db
from portal.reference.files import parse_file
from portal.reference.loader import LoadError, load_data
from portal.reference.models import Campaign, DoctoralSchool, Initiative, ResearchUnit
from portal.reference.services import CampaignExists, prepare_next_campaign
from portal.security import form_view
from portal.staff import bp
from portal.staff.reference_forms import (
    CampaignForm,
    DoctoralSchoolForm,
    InitiativeForm,
    ReferenceImportForm,
    ResearchUnitForm,
)


@dataclass(frozen=True)
class ReferenceKind:
    slug: str
    model: type
    form: type
    title: object
    singular: object
    columns: tuple[tuple[str, object], ...]
    order_by: object


KINDS = {
    kind.slug: kind
    for kind in (
        ReferenceKind(
            "campaigns",
            Campaign,
            CampaignForm,
            _l("Campaigns"),
            _l("campaign"),
            (("name", _l("Name")), ("year", _l("Year")), ("closes_at", _l("Closes")), ("state", _l("State"))),
            Campaign.year.desc(),
        ),
        ReferenceKind(
            "initiatives",
            Initiative,
            InitiativeForm,
            _l("Initiatives and institutes"),
            _l("initiative or institute"),
            (
                ("acronym", _l("Acronym")),
                ("name", _l("Name")),
                ("kind", _l("Kind")),
                ("contact_email", _l("Contact")),
            ),
            Initiative.acronym,
        ),
        ReferenceKind(
            "doctoral-schools",
            DoctoralSchool,
            DoctoralSchoolForm,
            _l("Doctoral schools"),
            _l("doctoral school"),
            (
                ("number", _l("Number")),
                ("acronym", _l("Acronym")),
                ("name", _l("Name")),
                ("supervision_cap", _l("Cap (%)")),
            ),
            DoctoralSchool.number,
        ),
        ReferenceKind(
            "research-units",
            ResearchUnit,
            ResearchUnitForm,
            _l("Research units"),
            _l("research unit"),
            (("code", _l("Code")), ("acronym", _l("Acronym")), ("name", _l("Name"))),
            ResearchUnit.code,
        ),
    )
}


def _kind(slug: str) -> ReferenceKind:
    kind = KINDS.get(slug)
    if kind is None:
        abort(404)
    return kind


@bp.route("/reference/")
@admin_required
def reference_index():
    return redirect(url_for("staff.reference_list", slug="campaigns"))


@bp.route("/reference/<slug>/")
@admin_required
def reference_list(slug: str):
    kind = _kind(slug)
    rows = db.session.scalars(select(kind.model).order_by(kind.order_by)).all()
    return render_template("staff/reference_list.html", kind=kind, kinds=KINDS, rows=rows)


@bp.route("/reference/<slug>/new", methods=["GET", "POST"])
@admin_required
@form_view
def reference_create(slug: str):
    kind = _kind(slug)
    form = kind.form()
    if form.validate_on_submit():
        row = kind.model()
        form.apply_to(row)
        db.session.add(row)
        db.session.commit()
        flash(_("Saved: %(name)s.", name=str(row)), "success")
        return redirect(url_for("staff.reference_list", slug=slug))
    return render_template("staff/reference_form.html", kind=kind, kinds=KINDS, form=form, row=None)


@bp.route("/reference/<slug>/<int:row_id>", methods=["GET", "POST"])
@admin_required
@form_view
def reference_edit(slug: str, row_id: int):
    kind = _kind(slug)
    row = db.get_or_404(kind.model, row_id)
    form = kind.form(instance=row)
    if form.validate_on_submit():
        form.apply_to(row)
        db.session.commit()
        flash(_("Saved: %(name)s.", name=str(row)), "success")
        return redirect(url_for("staff.reference_list", slug=slug))
    return render_template("staff/reference_form.html", kind=kind, kinds=KINDS, form=form, row=row)


@bp.route("/reference/campaigns/<int:campaign_id>/next-year", methods=["POST"])
@admin_required
def campaign_next_year(campaign_id: int):
    """Set up next year's call from this one in one click; it starts as a draft to review."""
    previous = db.get_or_404(Campaign, campaign_id)
    try:
        campaign = prepare_next_campaign(previous=previous)
    except CampaignExists as exists:
        flash(_("%(name)s already exists.", name=exists.campaign.name), "warning")
        campaign = exists.campaign
    else:
        db.session.commit()
        flash(
            _("%(name)s is prepared as a draft: check its dates, then publish it.", name=campaign.name),
            "success",
        )
    return redirect(url_for("staff.reference_edit", slug="campaigns", row_id=campaign.id))


@bp.route("/reference/import", methods=["GET", "POST"])
@admin_required
@form_view
def reference_import():
    form = ReferenceImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = load_data(parse_file(upload.filename or "", upload.read()))
        except LoadError as error:
            db.session.rollback()
            form.file.errors.append(_("Nothing was loaded: %(reason)s", reason=str(error)))
        else:
            db.session.commit()
            flash(_("File loaded: %(summary)s.", summary=report.summary()), "success")
            return redirect(url_for("staff.reference_index"))
    return render_template("staff/reference_import.html", form=form, kinds=KINDS)
