"""Audit log: who did what, when, on which object; written by the services, read by staff.

The routes are imported by `create_app` (`portal.audit.routes`), not here: every domain's services
import `portal.audit.services`, and loading the pages with them would make an import cycle.
"""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
