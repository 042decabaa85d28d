"""The public pages: the calls, each call's subjects, each subject and its figures. No sign-in.

Every page starts from `visibility` and answers 404 for anything it does not return.
"""

from flask import Response, abort, current_app, render_template, request
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.catalogue import pages, public_bp
from portal.catalogue.caching import answer_early, keep, public_response
from portal.catalogue.models import PublicSubject
from portal.catalogue.rendering import public_html
from portal.catalogue.visibility import visible_rows, visible_subject, visible_subjects
from portal.extensions import db, limiter
from portal.proposals.models import ProposalFigure
from portal.reference.models import Campaign

# One allowance per address for all the public pages together: a scraper walks them all.
limiter.shared_limit(lambda: current_app.config["PUBLIC_RATE_LIMIT"], scope="public")(public_bp)
public_bp.before_request(answer_early)
public_bp.after_request(keep)

# A page number beyond any list: bounded where it enters.
_MAX_PAGE = 10_000


@public_bp.app_context_processor
def _public_helpers():
    return {"same_page_in": pages.same_page_in}


@public_bp.route("/")
def index():
    language, negotiated = pages.page_language()
    calls = db.session.execute(
        visible_subjects()
        .with_only_columns(Campaign.year, Campaign.name, func.count(PublicSubject.id))
        .group_by(Campaign.year, Campaign.name)
        .order_by(Campaign.year.desc())
    ).all()
    with force_locale(language):
        return public_response(
            lambda: render_template("public/index.html", calls=calls, page_lang=language),
            last_modified=None,
            negotiated=negotiated,
        )


@public_bp.route("/<int:year>/")
def call(year: int):
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == year))
    if campaign is None:
        abort(404)
    language, negotiated = pages.page_language()
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= _MAX_PAGE:
        abort(404)
    size = current_app.config["PUBLIC_PAGE_SIZE"]
    statement = visible_subjects().where(Campaign.id == campaign.id)
    total = db.session.scalar(statement.with_only_columns(func.count(PublicSubject.id)))
    pages_count = max(1, -(-total // size))
    if page > pages_count:
        abort(404)
    rows = visible_rows(
        statement.order_by(PublicSubject.title, PublicSubject.id).limit(size).offset((page - 1) * size)
    )
    with force_locale(language):
        return public_response(
            lambda: render_template(
                "public/call.html",
                campaign=campaign,
                rows=rows,
                page=page,
                pages_count=pages_count,
                total=total,
                page_lang=language,
                helpers=pages,
            ),
            last_modified=max((row.since for row in rows), default=None),
            negotiated=negotiated,
        )


def _visible_or_404(year: int, subject_id: int):
    visible = visible_subject(subject_id)
    if visible is None or visible.subject.proposal.campaign.year != year:
        abort(404)
    return visible


@public_bp.route("/<int:year>/<int:subject_id>")
def subject(year: int, subject_id: int):
    visible = _visible_or_404(year, subject_id)
    row = visible.subject
    language, _negotiated = pages.page_language(default=row.language)
    description = public_html(row)
    with force_locale(language):
        return public_response(
            lambda: render_template(
                "public/subject.html",
                visible=visible,
                subject=row,
                content=row.content,
                campaign=row.proposal.campaign,
                description_html=description.html,
                page_lang=language,
                helpers=pages,
            ),
            last_modified=visible.since,
            final=description.final,
        )


@public_bp.route("/<int:year>/<int:subject_id>/figures/<name>")
def figure(year: int, subject_id: int, name: str):
    """A figure of the public text of a visible subject; any other answers 404."""
    visible = _visible_or_404(year, subject_id)
    if f"(figure:{name})" not in (visible.subject.content.get("description") or ""):
        abort(404)
    found = db.session.scalar(
        select(ProposalFigure).where(
            ProposalFigure.proposal_id == visible.subject.proposal_id, ProposalFigure.name == name
        )
    )
    if found is None:
        abort(404)
    return public_response(
        lambda: Response(found.data, mimetype=found.media_type),
        last_modified=found.created_at,
    )
