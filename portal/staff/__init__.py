"""Administration: users and roles, reference data (campaigns, initiatives, schools, units), outbox."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/admin")

from portal.staff import outbox_routes, reference_routes, user_routes  # noqa: E402,F401
