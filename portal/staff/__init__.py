"""Administration: users and roles, reference data (campaigns, initiatives, schools, units)."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/admin")

from portal.staff import reference_routes, user_routes  # noqa: E402,F401
