"""Administrators find users, invite staff and reviewers, grant and revoke roles, disable accounts."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from portal.audit.services import record
from portal.auth import services as accounts
from portal.auth import totp
from portal.auth.models import Role, RoleGrant, User
from portal.auth.permissions import admin_required
from portal.auth.sessions import end_all_sessions
from portal.extensions import db
from portal.reference.models import DoctoralSchool, Initiative
from portal.security import form_view
from portal.staff import bp
from portal.staff.user_forms import GrantForm, InviteForm

PER_PAGE = 25


def _scope(form: GrantForm):
    if form.role.data is Role.school_staff:
        return db.session.get(DoctoralSchool, form.doctoral_school.data)
    if form.role.data is Role.programme_staff:
        return db.session.get(Initiative, form.initiative.data)
    return None


@bp.route("/users/")
@admin_required
def users():
    query = select(User).order_by(User.last_name, User.first_name, User.email)
    search = request.args.get("q", "").strip()
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(
            or_(
                User.email.ilike(pattern),
                User.last_name.ilike(pattern),
                User.first_name.ilike(pattern),
            )
        )
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.grants.any(RoleGrant.role == Role(role)))
    page = db.paginate(query, per_page=PER_PAGE, error_out=False)
    return render_template("staff/users.html", page=page, search=search, role=role, Role=Role)


@bp.route("/users/invite", methods=["GET", "POST"])
@admin_required
@form_view
def invite_user():
    form = InviteForm()
    if form.validate_on_submit():
        user = accounts.invite_user(
            email=form.email.data,
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            role=form.role.data,
            scope=_scope(form),
            invited_by=current_user,
        )
        db.session.commit()
        flash(_("Invitation sent to %(email)s.", email=user.email), "success")
        return redirect(url_for("staff.user_detail", user_id=user.id))
    return render_template("staff/invite.html", form=form)


def _user_page(user: User, grant_form: GrantForm | None = None, status: int = 200):
    return (
        render_template(
            "staff/user_detail.html",
            user=user,
            grant_form=grant_form or GrantForm(),
            Role=Role,
        ),
        status,
    )


@bp.route("/users/<int:user_id>")
@admin_required
def user_detail(user_id: int):
    return _user_page(db.get_or_404(User, user_id))


@bp.route("/users/<int:user_id>/grants", methods=["POST"])
@admin_required
@form_view
def add_grant(user_id: int):
    user = db.get_or_404(User, user_id)
    form = GrantForm()
    if not form.validate_on_submit():
        return _user_page(user, form, 400)
    scope = _scope(form)
    if accounts.find_grant(user=user, role=form.role.data, scope=scope) is not None:
        form.role.errors.append(_("This person already holds this role."))
        return _user_page(user, form, 400)
    accounts.grant_role(user=user, role=form.role.data, scope=scope)
    accounts.send_invitation(user=user, invited_by=current_user)
    db.session.commit()
    flash(_("Role granted; the person is told by e-mail."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/grants/<int:grant_id>/revoke", methods=["POST"])
@admin_required
def revoke_grant(user_id: int, grant_id: int):
    user = db.get_or_404(User, user_id)
    grant = db.get_or_404(RoleGrant, grant_id)
    if grant.user_id != user.id:
        abort(404)
    if user.id == current_user.id and grant.role is Role.admin:
        flash(_("You cannot remove your own administrator role."), "error")
    else:
        accounts.revoke_role(user=user, grant=grant)
        db.session.commit()
        flash(_("Role removed."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


def _account_action(user_id: int, action, message: str):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("Use your own profile pages for your account."), "error")
    else:
        action(user)
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


def _disable(user: User) -> None:
    user.disabled = True
    end_all_sessions(user)
    record("account.disabled", obj=user)


def _enable(user: User) -> None:
    user.disabled = False
    record("account.enabled", obj=user)


def _reset_two_factor(user: User) -> None:
    totp.disable(user)
    end_all_sessions(user)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@admin_required
def disable_user(user_id: int):
    return _account_action(user_id, _disable, _("Account disabled; its sessions are closed."))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@admin_required
def enable_user(user_id: int):
    return _account_action(user_id, _enable, _("Account enabled."))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    return _account_action(
        user_id,
        _reset_two_factor,
        _("Two-factor sign-in reset: the person enrols a new device at the next sign-in."),
    )


@bp.route("/users/<int:user_id>/resend-invitation", methods=["POST"])
@admin_required
def resend_invitation(user_id: int):
    return _account_action(
        user_id,
        lambda user: accounts.send_invitation(user=user, invited_by=current_user),
        _("Invitation sent again."),
    )
