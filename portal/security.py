"""Security headers, CSRF failures that keep what was typed, and the two-factor requirement."""

from flask import Flask, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.auth.permissions import second_factor_required
from portal.extensions import talisman

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Pages a signed-in member of staff may reach before enrolling a second factor.
_ENROLMENT_ENDPOINTS = {
    "auth.two_factor_setup",
    "auth.sign_out_route",
    "auth.csrf_token",
    "main.set_language",
    "static",
}


def form_view(view):
    """Mark a view whose POST is validated by a FlaskForm.

    When the global CSRF check fails on such a view, the view runs again: its form fails on the
    token field alone and the page comes back with everything typed and a fresh token.
    """
    view.renders_form_on_csrf_error = True
    return view


def _handle_csrf_error(error: CSRFError):
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "renders_form_on_csrf_error", False):
        try:
            response = current_app.make_response(view(**(request.view_args or {})))
        except HTTPException as refusal:
            # Raised from inside an error handler, the view's own answer (429 once its rate limit is
            # reached, 404) would escape as a 500: give it its page, as a first dispatch would.
            return current_app.handle_http_exception(refusal)
        response.status_code = 400
        return response
    return render_template("errors/csrf.html"), 400


def _require_second_factor():
    """Staff and administrators must enrol an authenticator before anything else."""
    if not current_user.is_authenticated or current_user.two_factor_enabled:
        return None
    if second_factor_required(current_user) and request.endpoint not in _ENROLMENT_ENDPOINTS:
        return redirect(url_for("auth.two_factor_setup"))
    return None


def _no_store_for_signed_in(response):
    # Pages of a signed-in user must not stay in a shared browser's cache after sign-out.
    if current_user.is_authenticated and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


def register_security(app: Flask) -> None:
    talisman.init_app(
        app,
        force_https=False,  # the reverse proxy redirects; the app must also run on plain localhost
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        strict_transport_security=True,
        strict_transport_security_max_age=31536000,
        x_content_type_options=True,
    )
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.before_request(_require_second_factor)
    app.after_request(_no_store_for_signed_in)
