"""The PRD: the form, drafts and revisions, co-editing, submission, JSON import and export."""

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

from portal.proposals.field_labels import problem_summary  # noqa: E402
from portal.proposals.forms import blank_student_row  # noqa: E402

bp.add_app_template_global(blank_student_row)
bp.add_app_template_global(problem_summary)

from portal.proposals import (  # noqa: E402,F401
    co_supervisor_routes,
    counting_routes,
    document_routes,
    editor_routes,
    figure_routes,
    history_routes,
    live_checks,
    routes,
)
