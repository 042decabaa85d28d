"""Two-factor pages: the code asked at sign-in, enrolment, recovery codes, turning it off."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required

from portal.audit.services import record
from portal.auth import bp, totp
from portal.auth.forms import CodeForm, DisableTwoFactorForm
from portal.auth.limits import code_limited, count_failure
from portal.auth.passwords import verify_password
from portal.auth.permissions import second_factor_required
from portal.auth.sessions import PENDING_TWO_FACTOR, load_user, start_session
from portal.extensions import db
from portal.security import form_view

_ENROLMENT_SECRET = "two_factor_enrolment_secret"  # noqa: S105 (a session key)
_WRONG_CODE = _l("This code is not valid. Check your device's clock and try again.")
_REFUSALS = {
    totp.CodeCheck.wrong: _WRONG_CODE,
    # A used code is no clock problem: saying so sends the user to fix the wrong thing.
    totp.CodeCheck.code_used: _l(
        "This code was already used. Wait until your app shows a new one and type it."
    ),
    totp.CodeCheck.recovery_code_used: _l(
        "This recovery code was already used: each works once. Type another one."
    ),
}


@bp.route("/two-factor", methods=["GET", "POST"])
@code_limited
@form_view
def two_factor():
    """Second step of sign-in, for accounts with an authenticator app."""
    pending = session.get(PENDING_TWO_FACTOR)
    user = load_user(pending["user"]) if pending else None
    if user is None:
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        found = totp.check_code(user, form.code.data)
        if found is totp.CodeCheck.accepted:
            next_url = pending.get("next") or url_for("main.home")
            start_session(user, remember=pending.get("remember", False))
            record("auth.signed_in", actor=user, obj=user, two_factor=True)
            left = totp.remaining_recovery_codes(user)
            db.session.commit()
            if left <= 3:
                message = ngettext(
                    "Only %(num)d recovery code is left: make new ones.",
                    "Only %(num)d recovery codes are left: make new ones.",
                    left,
                )
                flash(message, "warning")
            return redirect(next_url)
        count_failure()
        db.session.commit()  # keep the replay guard even on failure
        form.code.errors.append(str(_REFUSALS[found]))
    return render_template("auth/two_factor.html", form=form)


@bp.route("/security", methods=["GET"])
@login_required
def security():
    return render_template(
        "auth/security.html",
        remaining=totp.remaining_recovery_codes(current_user),
        disable_form=DisableTwoFactorForm(),
        required=second_factor_required(current_user),
    )


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@login_required
@form_view
def two_factor_setup():
    if current_user.two_factor_enabled:
        return redirect(url_for("auth.security"))
    secret = session.get(_ENROLMENT_SECRET) or totp.new_secret()
    session[_ENROLMENT_SECRET] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if totp.code_matches_secret(secret, form.code.data):
            codes = totp.enable(current_user, secret)
            session.pop(_ENROLMENT_SECRET, None)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors.append(str(_WRONG_CODE))
    uri = totp.provisioning_uri(secret=secret, user=current_user, issuer=current_app.config["TOTP_ISSUER"])
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        qr_svg=totp.qr_svg(uri),
        required=second_factor_required(current_user),
    )


@bp.route("/two-factor/recovery-codes", methods=["POST"])
@login_required
def regenerate_recovery_codes():
    if not current_user.two_factor_enabled:
        return redirect(url_for("auth.security"))
    codes = totp.regenerate_recovery_codes(current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/two-factor/disable", methods=["POST"])
@login_required
def disable_two_factor():
    form = DisableTwoFactorForm()
    if second_factor_required(current_user):
        flash(_("Two-factor sign-in is required for your roles and cannot be turned off."), "error")
    elif form.validate_on_submit() and verify_password(current_user.password_hash, form.password.data):
        totp.disable(current_user)
        db.session.commit()
        flash(_("Two-factor sign-in is off."), "info")
    else:
        flash(_("The password is not right; two-factor sign-in stays on."), "error")
    return redirect(url_for("auth.security"))
