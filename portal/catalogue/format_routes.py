"""The catalogue for machines: Atom feeds, the JSON export and /sitemap.xml. No sign-in.

Each starts from `visibility`, as the pages do, and answers with the same cache headers.
"""

import json
from xml.etree import ElementTree as ET

from flask import Response, abort, current_app, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from portal.catalogue import export, feeds, pages, public_bp, site_bp, structured
from portal.catalogue.caching import answer_early, keep, public_response
from portal.catalogue.models import PublicSubject
from portal.catalogue.search import filtered
from portal.catalogue.search_form import FILTERS, SearchForm
from portal.catalogue.search_routes import page_number
from portal.catalogue.visibility import Visible, visible_rows, visible_subjects
from portal.extensions import db, limiter
from portal.proposals.models import Proposal
from portal.reference.models import Campaign, Initiative

limiter.limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"])(site_bp)
site_bp.before_request(answer_early)
site_bp.after_request(keep)

EXPORT_PAGE_SIZE = 200
#: The sitemap protocol's limit of addresses in one file.
SITEMAP_LIMIT = 50_000
_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


@public_bp.context_processor
def _format_helpers():
    return {"structured": structured}


def _latest(statement, limit: int) -> list[Visible]:
    rows = visible_rows(
        statement.order_by(PublicSubject.revised_at.desc(), PublicSubject.id.desc()).limit(limit)
    )
    return sorted(rows, key=lambda row: (row.since, row.subject.id), reverse=True)


def _feed(statement, *, title: str, page_url: str) -> Response:
    language, negotiated = pages.page_language()
    rows = _latest(statement, feeds.FEED_SIZE)
    with force_locale(language):
        body = lambda: Response(  # noqa: E731
            feeds.atom(
                title=title(), feed_url=request.base_url, page_url=page_url, rows=rows, language=language
            ),
            mimetype=feeds.MEDIA_TYPE.split(";")[0],
        )
        return public_response(
            body,
            last_modified=max((row.since for row in rows), default=None),
            negotiated=negotiated,
        )


@public_bp.route("/<int:year>/feed.atom")
def call_feed(year: int):
    """The subjects of one call."""
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == year))
    if campaign is None:
        abort(404)
    return _feed(
        visible_subjects().where(Campaign.id == campaign.id),
        title=lambda: _("Thesis subjects of %(call)s", call=campaign.name),
        page_url=url_for("public.call", year=year, _external=True),
    )


@public_bp.route("/initiatives/<acronym>/feed.atom")
def initiative_feed(acronym: str):
    """The subjects of one initiative or institute, every call together."""
    initiative = db.session.scalar(select(Initiative).where(Initiative.acronym == acronym[:32]))
    if initiative is None:
        abort(404)
    return _feed(
        visible_subjects().where(Proposal.initiative_id == initiative.id),
        title=lambda: _("Thesis subjects of %(initiative)s", initiative=initiative.acronym),
        page_url=url_for("public.index", _external=True),
    )


@public_bp.route("/subjects.json")
def export_json():
    """The visible subjects as `prd-public/1`, narrowed by the search's filters, in pages."""
    form = SearchForm(formdata=request.args).with_choices()
    if not form.validate():
        problems = {name: form[name].errors for name in FILTERS if form[name].errors}
        return {"errors": problems}, 400
    page = page_number()
    statement = filtered(visible_subjects(), form.filters())
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages_count = max(1, -(-total // EXPORT_PAGE_SIZE))
    if page > pages_count:
        abort(404)
    rows = visible_rows(
        statement.order_by(PublicSubject.id).limit(EXPORT_PAGE_SIZE).offset((page - 1) * EXPORT_PAGE_SIZE)
    )
    arguments = {name: form[name].data for name in FILTERS if form[name].data}
    next_url = (
        url_for("public.export_json", **arguments, page=page + 1, _external=True)
        if page < pages_count
        else None
    )

    def body() -> Response:
        document = export.document(rows, page=page, pages=pages_count, next_url=next_url)
        return Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype=export.MEDIA_TYPE)

    return public_response(
        body,
        last_modified=max((row.since for row in rows), default=None),
    )


@site_bp.route("/sitemap.xml")
def sitemap():
    """The catalogue's pages: its home, each call with visible subjects, each visible subject."""
    rows = visible_rows(
        visible_subjects()
        .options(defer(PublicSubject.content))
        .order_by(PublicSubject.id)
        .limit(SITEMAP_LIMIT - 100)
    )

    def body() -> Response:
        urlset = ET.Element(f"{{{_SITEMAP}}}urlset")

        def add(location: str, modified=None) -> None:
            url = ET.SubElement(urlset, f"{{{_SITEMAP}}}url")
            ET.SubElement(url, f"{{{_SITEMAP}}}loc").text = location
            if modified is not None:
                ET.SubElement(url, f"{{{_SITEMAP}}}lastmod").text = modified.date().isoformat()

        add(url_for("public.index", _external=True))
        calls: dict[int, object] = {}
        for row in rows:
            year = row.subject.proposal.campaign.year
            calls[year] = max(calls.get(year, row.since), row.since)
        for year, modified in sorted(calls.items(), reverse=True):
            add(url_for("public.call", year=year, _external=True), modified)
        for row in rows:
            add(feeds.subject_url(row), row.since)
        ET.register_namespace("", _SITEMAP)
        return Response(
            ET.tostring(urlset, encoding="utf-8", xml_declaration=True), mimetype="application/xml"
        )

    return public_response(
        body,
        last_modified=max((row.since for row in rows), default=None),
    )
