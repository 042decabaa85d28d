"""Accounts, roles, sessions, password reset, invitations and two-factor sign-in."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/account")

from portal.auth import routes, two_factor_routes  # noqa: E402,F401
