"""The exports page and its three downloads; each one exports exactly the user's own selection."""

from datetime import timedelta

from flask import Response, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit.services import record
from portal.auth.models import Role
from portal.auth.permissions import role_required
from portal.db import utcnow
from portal.documents.naming import content_disposition
from portal.exports import bp
from portal.exports.bundle import Entry, plan, zip_chunks
from portal.exports.forms import ExportFilterForm
from portal.exports.selection import Filters, selected_ids, selected_proposals
from portal.exports.spreadsheets import csv_chunks, xlsx_bytes
from portal.exports.table import table
from portal.exports.tasks import RENDER_PDF
from portal.extensions import db
from portal.refreshing import reloading
from portal.tasks import publish, records
from portal.timezones import utc_to_paris

staff_required = role_required(Role.school_staff, Role.programme_staff, Role.admin)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A queued render not done after this long was lost (a broker restarted): the progress page
# queues it again.
REQUEUE_AFTER = timedelta(minutes=10)


def _filename(filters: Filters, extension: str) -> str:
    parts = ["PRD", *filters.as_args().values(), utc_to_paris(utcnow()).strftime("%Y-%m-%d")]
    return f"{' '.join(parts)}.{extension}"


def _download(body, filename: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/")
@staff_required
def index():
    form = ExportFilterForm(request.args, meta={"csrf": False})
    filters = Filters.from_args(request.args)
    count = len(selected_ids(filters, user=current_user))
    return render_template("exports/index.html", form=form, filters=filters.as_args(), count=count)


@bp.route("/proposals.csv")
@staff_required
def proposals_csv():
    filters = Filters.from_args(request.args)
    record("export.downloaded", format="csv", **filters.as_args())
    db.session.commit()  # now: the rows stream after the request's last commit
    header, rows = table(selected_proposals(filters, user=current_user), user=current_user)
    body = stream_with_context(chunk.encode("utf-8") for chunk in csv_chunks(header, rows))
    # Werkzeug adds "; charset=utf-8" to text types: naming it here too would send it twice.
    return _download(body, _filename(filters, "csv"), "text/csv")


@bp.route("/proposals.xlsx")
@staff_required
def proposals_xlsx():
    filters = Filters.from_args(request.args)
    record("export.downloaded", format="xlsx", **filters.as_args())
    db.session.commit()
    header, rows = table(selected_proposals(filters, user=current_user), user=current_user)
    return _download(xlsx_bytes(header, rows, title=_("Proposals")), _filename(filters, "xlsx"), XLSX)


@bp.route("/proposals.zip")
@staff_required
def proposals_zip():
    filters = Filters.from_args(request.args)
    entries, missing = plan(selected_ids(filters, user=current_user))
    if missing:
        # Rendering is the workers' job: the progress page waits for them.
        _queue_missing(entries, missing)
        return redirect(url_for("exports.prepare", **filters.as_args()), 303)
    record("export.downloaded", format="zip", **filters.as_args())
    db.session.commit()
    body = stream_with_context(zip_chunks(entries))
    return _download(body, _filename(filters, "zip"), "application/zip")


def _queue_missing(entries: list[Entry], missing: list[int]) -> list[int]:
    """Queue the renders not queued yet (any process may have queued them); returns the failed ids."""
    keys = {entry.proposal_id: entry.key for entry in entries if entry.proposal_id in set(missing)}
    failed = records.failures(RENDER_PDF, keys.values())
    db.session.rollback()  # nothing held while the records are written
    wanted = records.to_queue(
        RENDER_PDF, [key for key in keys.values() if key not in failed], stale_after=REQUEUE_AFTER
    )
    by_key = {key: proposal_id for proposal_id, key in keys.items()}
    for key in wanted:
        publish(RENDER_PDF, by_key[key])
    return [proposal_id for proposal_id, key in keys.items() if key in failed]


@bp.route("/prepare")
@staff_required
def prepare():
    """Progress of the PDFs being rendered for a ZIP; the page reloads itself until they are ready."""
    filters = Filters.from_args(request.args)
    entries, missing = plan(selected_ids(filters, user=current_user))
    failed = _queue_missing(entries, missing) if missing else []
    pending = len(missing) > len(failed)
    page = render_template(
        "exports/prepare.html",
        filters=filters.as_args(),
        total=len(entries),
        ready=len(entries) - len(missing),
        failed=failed,
        refresh=pending,
    )
    return reloading(page, pending=pending, seconds=5)
