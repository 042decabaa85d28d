"""Staff dashboards: the proposals a member of staff follows, with counts, opinions and reminders."""

from flask import Blueprint

bp = Blueprint("dashboards", __name__, url_prefix="/staff/proposals")

from portal.dashboards import routes  # noqa: E402, F401
