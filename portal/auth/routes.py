"""Sign-up, sign-in, sign-out, confirmation, password reset, invitations, profile, password change."""

from flask import flash, jsonify, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from portal.audit.services import record
from portal.auth import bp, services, tokens
from portal.auth.forms import (
    ChangePasswordForm,
    EmailForm,
    ProfileForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from portal.auth.limits import count_failure, email_link_limited, sign_in_limited
from portal.auth.passwords import verify_password
from portal.auth.sessions import PENDING_TWO_FACTOR, sign_out, start_session
from portal.extensions import db
from portal.navigation import redirect_next, safe_next
from portal.reference.unit_form import set_profile_unit, unit_form_data
from portal.security import form_view

# Session key: the address a link was just sent to, for the page shown after the redirect.
CHECK_INBOX = "check_inbox"


@bp.route("/sign-in", methods=["GET", "POST"])
@sign_in_limited
@form_view
def sign_in():
    if current_user.is_authenticated:
        return redirect_next()
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(email=form.email.data, password=form.password.data)
        if user is None:
            count_failure()
            form.form_errors.append(_("The e-mail or the password is not right."))
            tried = services.normalise_email(form.email.data)[:254]
            record("auth.sign_in_refused", actor_label=tried, email=tried)
            db.session.commit()
        elif user.email_confirmed_at is None:
            services.send_confirmation(user)
            db.session.commit()
            flash(_("Confirm your e-mail address first: we have just sent you a new link."), "warning")
        elif user.two_factor_enabled:
            session[PENDING_TWO_FACTOR] = {
                "user": user.get_id(),
                "remember": form.remember.data,
                "next": safe_next(),
            }
            db.session.commit()
            return redirect(url_for("auth.two_factor"))
        else:
            start_session(user, remember=form.remember.data)
            record("auth.signed_in", actor=user, obj=user, two_factor=False)
            db.session.commit()
            return redirect_next()
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out_route():
    if current_user.is_authenticated:
        sign_out(current_user)
        db.session.commit()
    flash(_("You are signed out, on every device."), "info")
    return redirect(url_for("main.home"))


@bp.route("/sign-up", methods=["GET", "POST"])
@email_link_limited
@form_view
def sign_up():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignUpForm()
    if form.validate_on_submit():
        services.register_supervisor(
            email=form.email.data,
            password=form.password.data,
            first_name=form.first_name.data,
            last_name=form.last_name.data,
            locale=str(get_locale()),
        )
        db.session.commit()
        return _check_inbox(form.email.data)
    return render_template("auth/sign_up.html", form=form)


def _check_inbox(email: str, *, reset: bool = False):
    """Redirect after the POST that sent a link, so that reloading the page sends nothing again."""
    session[CHECK_INBOX] = {"email": email, "reset": reset}
    return redirect(url_for("auth.check_inbox"), 303)


@bp.route("/check-inbox")
def check_inbox():
    sent = session.get(CHECK_INBOX)
    if not sent:
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/check_inbox.html", email=sent["email"], reset=sent["reset"])


@bp.route("/confirm/<token>")
def confirm_email(token: str):
    user = tokens.read_token(tokens.CONFIRM_EMAIL, token)
    if user is None:
        return render_template("auth/link_invalid.html", resend=True), 400
    first_use = user.email_confirmed_at is None
    services.confirm_email(user)
    # The link proves the address, and only the address: its first use signs a supervisor in (the
    # person just chose their password). An account that needs a second factor signs in with it,
    # and an old link, perhaps forwarded, signs no one in.
    if first_use and not user.disabled and not current_user.is_authenticated and not user.needs_two_factor:
        start_session(user)
        record("auth.signed_in", actor=user, obj=user, two_factor=False, by="confirmation_link")
        db.session.commit()
        flash(_("Your e-mail address is confirmed, and you are signed in."), "success")
        return redirect(url_for("main.home"))
    db.session.commit()
    if first_use and user.needs_two_factor:
        flash(
            _("Your e-mail address is confirmed. Sign in with your password and your second factor."),
            "success",
        )
    else:
        flash(_("Your e-mail address is confirmed. You can sign in."), "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/confirm", methods=["GET", "POST"])
@email_link_limited
@form_view
def resend_confirmation():
    form = EmailForm()
    if form.validate_on_submit():
        user = services.find_user(form.email.data)
        if user is not None and user.email_confirmed_at is None and not user.disabled:
            services.send_confirmation(user)
            db.session.commit()
        return _check_inbox(form.email.data)
    return render_template("auth/resend_confirmation.html", form=form)


@bp.route("/forgot-password", methods=["GET", "POST"])
@email_link_limited
@form_view
def forgot_password():
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(email=form.email.data)
        db.session.commit()
        return _check_inbox(form.email.data, reset=True)
    return render_template("auth/forgot_password.html", form=form)


def _set_password_page(purpose: str, token: str, template: str, done_message: str):
    user = tokens.read_token(purpose, token)
    if user is None:
        return render_template("auth/link_invalid.html"), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user=user, password=form.password.data)
        db.session.commit()
        flash(done_message, "success")
        return redirect(url_for("auth.sign_in"))
    return render_template(template, form=form, user=user)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@form_view
def reset_password(token: str):
    return _set_password_page(
        tokens.RESET_PASSWORD,
        token,
        "auth/reset_password.html",
        _("Your password is changed and every other session is closed. Sign in with it now."),
    )


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@form_view
def accept_invitation(token: str):
    return _set_password_page(
        tokens.ACCEPT_INVITATION,
        token,
        "auth/accept_invitation.html",
        _("Your account is ready. Sign in with your new password."),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@form_view
def profile():
    form = ProfileForm(obj=current_user, unit=unit_form_data(current_user.unit_details))
    fields = ["last_name", "first_name", "title", "hdr", "address", "findable_as_co_supervisor"]
    if not current_user.may_be_found_as_co_supervisor:
        del form.findable_as_co_supervisor
        fields.remove("findable_as_co_supervisor")
    if not form.is_submitted():
        form.doctoral_school.data = current_user.doctoral_school_id
    if form.validate_on_submit():
        for name in fields:
            setattr(current_user, name, getattr(form, name).data)
        set_profile_unit(current_user, form.unit.form.unit())
        current_user.doctoral_school_id = form.doctoral_school.data
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
@form_view
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("This is not your current password."))
        else:
            user = current_user._get_current_object()
            services.set_password(user=user, password=form.password.data)
            # Every other session is over; this one continues on the new session version.
            start_session(user)
            db.session.commit()
            flash(_("Your password is changed. Your other sessions are closed."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/csrf-token")
def csrf_token():
    """A fresh token for pages left open for hours (static/js/csrf-refresh.js)."""
    response = jsonify(token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
