"""The bridge between proposals and the renderer (portal/documents): figures, page measure, PDF."""

from babel.dates import format_date, format_datetime
from flask import current_app
from sqlalchemy import func, select

from portal.documents.figures import FigureImage
from portal.documents.hashing import content_hash
from portal.documents.layout import PageMeasure, measure_description
from portal.documents.naming import official_filename
from portal.documents.pdf import PrintContext, render_proposal_pdf
from portal.documents.worker import render_with_time_limit
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalFigure, ProposalState, StoredPdf
from portal.proposals.rules import find_school
from portal.timezones import utc_to_paris


def figure_images(proposal: Proposal) -> dict[str, FigureImage]:
    return {
        figure.name: FigureImage(
            name=figure.name,
            media_type=figure.media_type,
            data=figure.data,
            width=figure.width,
            height=figure.height,
        )
        for figure in proposal.figures
    }


def figure_row(image: FigureImage) -> ProposalFigure:
    """A checked, re-encoded image as the proposal's figure."""
    return ProposalFigure(
        name=image.name,
        media_type=image.media_type,
        data=image.data,
        width=image.width,
        height=image.height,
        sha256=image.sha256,
    )


def measure(proposal: Proposal, description: str) -> PageMeasure:
    """How many printed pages `description` takes, with this proposal's figures."""
    language = proposal.content.get("language") or "fr"
    return render_with_time_limit(
        measure_description,
        description,
        figures=figure_images(proposal),
        language=language,
        seconds=current_app.config["RENDER_TIME_LIMIT"],
    )


def ordinal(proposal: Proposal) -> int:
    """1 for the director's first proposal to this initiative in this call, 2 for the second…"""
    return 1 + db.session.scalar(
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.owner_id == proposal.owner_id,
            Proposal.campaign_id == proposal.campaign_id,
            Proposal.initiative_id == proposal.initiative_id,
            Proposal.id < proposal.id,
        )
    )


def print_context(proposal: Proposal, content: dict) -> PrintContext:
    campaign = proposal.campaign
    initiative = next(
        (item for item in campaign.initiatives if item.acronym == content.get("initiative")), None
    )

    def school_label(person: dict | None) -> str:
        if not person:
            return ""
        school = find_school(person["doctoral_school"]) if person.get("doctoral_school") else None
        return str(school) if school else (person.get("doctoral_school") or "")

    submitted_at = proposal.submitted_at if proposal.state is ProposalState.submitted else None
    return PrintContext(
        campaign_year=campaign.year,
        deadline_text=f"avant le {format_date(utc_to_paris(campaign.closes_at), 'd MMMM', locale='fr')}",
        contact_email=campaign.contact_email,
        initiative_acronym=initiative.acronym if initiative else (content.get("initiative") or ""),
        initiative_name=initiative.name if initiative else "",
        director_school_label=school_label(content["director"]),
        co_supervisor_school_label=school_label(content.get("co_supervisor")),
        submitted_at_text=format_datetime(utc_to_paris(submitted_at), "d MMMM y, HH:mm", locale="fr")
        if submitted_at
        else None,
    )


def pdf_filename(proposal: Proposal, content: dict) -> str:
    return official_filename(
        content.get("initiative") or "PRD",
        proposal.campaign.year,
        content["director"].get("last_name") or proposal.owner.last_name or "",
        ordinal(proposal),
    )


def official_pdf(proposal: Proposal, content: dict, *, store: bool) -> tuple[str, bytes]:
    """The file name and the PDF of `content`; stored versions are rendered once, then served."""
    figures = figure_images(proposal)
    context = print_context(proposal, content)
    key = content_hash(content, figures, context)
    if store:
        stored = db.session.scalar(select(StoredPdf).where(StoredPdf.content_hash == key))
        if stored is not None:
            return pdf_filename(proposal, content), stored.data
    data = render_with_time_limit(
        render_proposal_pdf,
        content,
        context=context,
        figures=figures,
        seconds=current_app.config["RENDER_TIME_LIMIT"],
    )
    if store:
        # The caller commits: a GET that stores the file, or the CLI.
        db.session.add(StoredPdf(content_hash=key, data=data))
        db.session.flush()
    return pdf_filename(proposal, content), data
