"""Programme staff and administrators compose committees: settings, members, rubric."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.models import Role
from portal.auth.permissions import role_required
from portal.auth.services import find_user
from portal.extensions import db
from portal.reference.models import Campaign, Initiative
from portal.reviews import bp, services
from portal.reviews.committee_admin import committee_slots
from portal.reviews.models import CommitteeMember
from portal.reviews.permissions import managed_committee
from portal.reviews.phases import timeline
from portal.reviews.rubric import RubricFrozen, review_count, set_criteria
from portal.reviews.staff_forms import MemberForm, MemberUpdateForm, RubricForm, SettingsForm
from portal.security import form_view
from portal.timezones import paris_to_utc, utc_to_paris

staff_only = role_required(Role.programme_staff, Role.admin)


@bp.route("/committees/")
@staff_only
def committees():
    return render_template("reviews/staff/committees.html", slots=committee_slots(current_user))


@bp.route("/committees/open", methods=["POST"])
@staff_only
def open_committee():
    """Set up the committee of a campaign and initiative (with the default rubric), or go to it."""
    campaign = db.session.get(Campaign, request.form.get("campaign", type=int) or 0)
    initiative = db.session.get(Initiative, request.form.get("initiative", type=int) or 0)
    if campaign is None or initiative is None or initiative not in campaign.initiatives:
        abort(404)
    if not (current_user.is_admin or initiative.id in current_user.staff_initiative_ids()):
        abort(403)
    committee = services.committee_of(campaign=campaign, initiative=initiative)
    db.session.commit()
    return redirect(url_for("reviews.committee", committee_id=committee.id))


# The committee's dates, shown and typed in Paris time.
DATE_FIELDS = ("bidding_opens_at", "bidding_closes_at", "review_deadline")


def _settings_form(committee) -> SettingsForm:
    form = SettingsForm(obj=committee if request.method == "GET" else None)
    if request.method == "GET":
        for name in DATE_FIELDS:
            value = getattr(committee, name)
            form[name].data = utc_to_paris(value).replace(tzinfo=None) if value else None
    form.call_opens_at = committee.campaign.opens_at
    form.reviews_start_at = timeline(committee).reviews_start_at
    return form


def _committee_page(committee, *, settings=None, member_form=None, status=200):
    return (
        render_template(
            "reviews/staff/committee.html",
            committee=committee,
            settings=settings or _settings_form(committee),
            member_form=member_form or MemberForm(formdata=None),
            timeline=timeline(committee),
        ),
        status,
    )


@bp.route("/committees/<int:committee_id>")
@login_required
def committee(committee_id: int):
    return _committee_page(managed_committee(committee_id))


@bp.route("/committees/<int:committee_id>/settings", methods=["POST"])
@login_required
@form_view
def committee_settings(committee_id: int):
    committee = managed_committee(committee_id)
    form = _settings_form(committee)
    if not form.validate_on_submit():
        return _committee_page(committee, settings=form, status=400)
    for name in DATE_FIELDS:
        value = form[name].data
        setattr(committee, name, paris_to_utc(value) if value else None)
    committee.visibility = form.visibility.data
    committee.funded_contracts = form.funded_contracts.data
    db.session.commit()
    flash(_("Settings saved."), "success")
    return redirect(url_for("reviews.committee", committee_id=committee.id))


@bp.route("/committees/<int:committee_id>/members", methods=["POST"])
@login_required
@form_view
def add_member(committee_id: int):
    committee = managed_committee(committee_id)
    form = MemberForm()
    if not form.validate_on_submit():
        return _committee_page(committee, member_form=form, status=400)
    existing = find_user(form.email.data)
    member = services.invite_member(
        committee=committee,
        email=form.email.data,
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        chair=form.is_chair.data,
        invited_by=current_user,
    )
    member.max_load = form.max_load.data
    db.session.commit()
    if existing is None:
        flash(
            _("%(name)s is invited by e-mail and joins the committee.", name=member.user.display_name),
            "success",
        )
    else:
        flash(_("%(name)s joins the committee.", name=member.user.display_name), "success")
    return redirect(url_for("reviews.committee", committee_id=committee.id))


def _member(committee, member_id: int) -> CommitteeMember:
    member = db.session.get(CommitteeMember, member_id)
    if member is None or member.committee_id != committee.id:
        abort(404)
    return member


@bp.route("/committees/<int:committee_id>/members/<int:member_id>", methods=["POST"])
@login_required
def update_member(committee_id: int, member_id: int):
    committee = managed_committee(committee_id)
    member = _member(committee, member_id)
    form = MemberUpdateForm()
    if not form.validate_on_submit():
        flash(_("The maximum load must be a whole number between 1 and 200."), "error")
    else:
        member.is_chair = form.is_chair.data
        member.max_load = form.max_load.data
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("reviews.committee", committee_id=committee.id, _anchor="members"))


@bp.route("/committees/<int:committee_id>/members/<int:member_id>/remove", methods=["POST"])
@login_required
def remove_member(committee_id: int, member_id: int):
    committee = managed_committee(committee_id)
    member = _member(committee, member_id)
    name = member.user.display_name
    services.remove_member(committee=committee, member=member)
    db.session.commit()
    flash(_("%(name)s has left the committee; their submitted reviews stay on record.", name=name), "success")
    return redirect(url_for("reviews.committee", committee_id=committee.id, _anchor="members"))


def _rubric_form(committee) -> RubricForm:
    if request.method == "POST":
        return RubricForm()
    data = [
        {
            "name_fr": c.name_fr,
            "name_en": c.name_en,
            "help_fr": c.help_fr,
            "help_en": c.help_en,
            "scale": c.scale,
            "weight": c.weight,
            "counts": c.counts,
        }
        for c in committee.criteria
    ]
    return RubricForm(data={"criteria": data})


@bp.route("/committees/<int:committee_id>/rubric", methods=["GET", "POST"])
@login_required
@form_view
def rubric(committee_id: int):
    committee = managed_committee(committee_id)
    reviews = review_count(committee)
    form = _rubric_form(committee)
    status = 200
    if request.method == "POST":
        if request.form.get("action") == "add":
            form.criteria.append_entry()
        elif form.validate_on_submit():
            try:
                set_criteria(committee=committee, rows=form.rows())
            except RubricFrozen:
                db.session.rollback()
                flash(
                    _("Reviews exist already: the rubric can no longer change. Nothing was saved."), "error"
                )
                return redirect(url_for("reviews.rubric", committee_id=committee.id))
            db.session.commit()
            flash(_("Rubric saved."), "success")
            return redirect(url_for("reviews.rubric", committee_id=committee.id))
        else:
            status = 400
    return render_template(
        "reviews/staff/rubric.html",
        committee=committee,
        form=form,
        frozen=bool(reviews),
        reviews=reviews,
    ), status
