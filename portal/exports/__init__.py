"""Downloads and exports for staff: the official PDFs as one ZIP, the proposals as CSV and XLSX."""

from flask import Blueprint

bp = Blueprint("exports", __name__, url_prefix="/exports")

from portal.exports import routes  # noqa: E402, F401
