"""Administrators see the research units typed by hand that the reference list lacks, and add
one in a click."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import InputRequired, Length

from portal.auth.permissions import admin_required
from portal.extensions import db
from portal.reference.codes import UnitCode
from portal.reference.entered_units import UnitAlreadyListed, add_entered_unit, entered_units
from portal.reference.unit_form import ACRONYM_MAX, CODE_MAX, NAME_MAX
from portal.staff import bp
from portal.staff.reference_routes import KINDS


class AddEnteredUnitForm(FlaskForm):
    """The unit as the page showed it: code, acronym and name, checked as any typed unit."""

    strict = True
    code = HiddenField(validators=[InputRequired(), Length(max=CODE_MAX), UnitCode()])
    acronym = HiddenField(validators=[InputRequired(), Length(max=ACRONYM_MAX)])
    name = HiddenField(validators=[InputRequired(), Length(max=NAME_MAX)])


@bp.route("/reference/research-units/entered")
@admin_required
def entered_units_page():
    return render_template(
        "staff/entered_units.html", units=entered_units(), kinds=KINDS, form=AddEnteredUnitForm()
    )


@bp.route("/reference/research-units/entered/add", methods=["POST"])
@admin_required
def add_entered_unit_route():
    form = AddEnteredUnitForm()
    if not form.validate_on_submit():
        flash(_("This unit could not be added: reload the page and try again."), "error")
        return redirect(url_for("staff.entered_units_page"))
    try:
        unit = add_entered_unit(code=form.code.data, acronym=form.acronym.data, name=form.name.data)
    except UnitAlreadyListed as listed:
        flash(_("%(unit)s is already in the reference data.", unit=str(listed.unit)), "info")
        return redirect(url_for("staff.entered_units_page"))
    db.session.commit()
    flash(_("Added to the reference data: %(unit)s.", unit=str(unit)), "success")
    return redirect(url_for("staff.entered_units_page"))
