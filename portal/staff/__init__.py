"""Administration: users and roles, reference data (campaigns, initiatives, schools, units), outbox,
e-mail wording."""

from flask import Blueprint

bp = Blueprint("staff", __name__, url_prefix="/admin")

from portal.staff import (  # noqa: E402,F401
    email_routes,
    entered_unit_routes,
    outbox_routes,
    reference_routes,
    user_routes,
)
