"""The bridge between proposals and the renderer (portal/documents): figures, page measure, PDF.

The functions that render run in Celery tasks (proposals/tasks.py, exports, notifications), where
the time limits hold, and in commands; never in a web request.
"""

from datetime import datetime

from babel.dates import format_date, format_datetime
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from portal.documents.figures import FigureImage
from portal.documents.hashing import content_hash
from portal.documents.layout import PageMeasure, measure_description
from portal.documents.naming import official_filename
from portal.documents.pdf import PrintContext, render_proposal_pdf
from portal.extensions import db
from portal.proposals.limits import check_description
from portal.proposals.models import Proposal, ProposalFigure, ProposalRevision, ProposalState, StoredPdf
from portal.reference.models import DoctoralSchool
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


def figure_stamps(proposal: Proposal) -> dict:
    """The figures' names, types and hashes without their bytes: all that `content_hash` reads."""
    rows = db.session.execute(
        select(ProposalFigure.name, ProposalFigure.media_type, ProposalFigure.sha256).where(
            ProposalFigure.proposal_id == proposal.id
        )
    )
    return {row.name: row for row in rows}


def submitted_content(proposal: Proposal) -> dict | None:
    """The content of the proposal's last submitted revision, without loading the others."""
    return db.session.scalar(
        select(ProposalRevision.content)
        .where(ProposalRevision.proposal_id == proposal.id, ProposalRevision.submitted.is_(True))
        .order_by(ProposalRevision.number.desc())
        .limit(1)
    )


def measure(proposal: Proposal, description: str) -> PageMeasure:
    """How many printed pages `description` takes, with this proposal's figures (in a task, or a
    command: it lays the text out)."""
    check_description(description)
    language = proposal.content.get("language") or "fr"
    return measure_description(description, figures=figure_images(proposal), language=language)


def ordinal(proposal: Proposal) -> int:
    """1 for the director's first proposal to this initiative in this call, 2 for the second…"""
    return 1 + db.session.scalar(_earlier_proposals(proposal))


def _earlier_proposals(proposal: Proposal):
    return (
        select(func.count())
        .select_from(Proposal)
        .where(
            Proposal.owner_id == proposal.owner_id,
            Proposal.campaign_id == proposal.campaign_id,
            Proposal.initiative_id == proposal.initiative_id,
            Proposal.id < proposal.id,
        )
    )


def _school_labels(*people: dict | None) -> list[str]:
    # find_school's rule (the number, else an unambiguous acronym), for both people in one query.
    references = [(person or {}).get("doctoral_school") or "" for person in people]
    wanted = {reference.strip() for reference in references if reference}
    matching = or_(DoctoralSchool.number.in_(wanted), DoctoralSchool.acronym.in_(wanted))
    schools = db.session.scalars(select(DoctoralSchool).where(matching)).all() if wanted else []

    def label(reference: str) -> str:
        if not reference:
            return ""
        by_number = [school for school in schools if school.number == reference.strip()]
        by_acronym = [school for school in schools if school.acronym == reference.strip()]
        school = by_number[0] if by_number else by_acronym[0] if len(by_acronym) == 1 else None
        return str(school) if school else reference

    return [label(reference) for reference in references]


def print_context(proposal: Proposal, content: dict, *, submitted_at: datetime | None = None) -> PrintContext:
    """What the PDF prints beside the content; `submitted_at` is the proposal's own when submitted."""
    campaign = proposal.campaign
    acronym = content.get("initiative")
    # The proposal's own initiative is loaded with it (and is one of its call's); the call's list
    # is read only when the content names another.
    initiative = (
        proposal.initiative
        if proposal.initiative is not None and proposal.initiative.acronym == acronym
        else next((item for item in campaign.initiatives if item.acronym == acronym), None)
    )
    director_school, co_school = _school_labels(content["director"], content.get("co_supervisor"))
    if submitted_at is None and proposal.state is ProposalState.submitted:
        submitted_at = proposal.submitted_at
    return PrintContext(
        campaign_year=campaign.year,
        deadline_text=f"avant le {format_date(utc_to_paris(campaign.closes_at), 'd MMMM', locale='fr')}",
        contact_email=campaign.contact_email,
        initiative_acronym=initiative.acronym if initiative else (content.get("initiative") or ""),
        initiative_name=initiative.name if initiative else "",
        director_school_label=director_school,
        co_supervisor_school_label=co_school,
        submitted_at_text=format_datetime(utc_to_paris(submitted_at), "d MMMM y, HH:mm", locale="fr")
        if submitted_at
        else None,
    )


def pdf_filename(proposal: Proposal, content: dict, number: int | None = None) -> str:
    """The official file name; `number` is the proposal's ordinal when the caller already has it."""
    return official_filename(
        content.get("initiative") or "PRD",
        proposal.campaign.year,
        content["director"].get("last_name") or proposal.owner.last_name or "",
        ordinal(proposal) if number is None else number,
    )


def official_pdf(proposal: Proposal, content: dict, *, store: bool) -> tuple[str, bytes]:
    """The file name and the PDF of `content`; stored versions are rendered once, then served."""
    filename, data, _stored_now = official_pdf_file(proposal, content, store=store)
    return filename, data


def revision_pdf(revision: ProposalRevision) -> bytes:
    """The PDF of that submitted revision, stamped with its own submission time (the proposal may
    have been reopened or submitted again since): the stored file, else rendered and stored."""
    proposal = revision.proposal
    _filename, data, _stored_now = official_pdf_file(
        proposal, revision.content, store=True, submitted_at=revision.created_at
    )
    return data


def pdf_key(proposal: Proposal, content: dict, *, submitted_at: datetime | None = None) -> str:
    """The stored file's key of `content`, without rendering."""
    return _stored_key(proposal, content, print_context(proposal, content, submitted_at=submitted_at))


def stored_pdf(key: str) -> bytes | None:
    return db.session.scalar(select(StoredPdf.data).where(StoredPdf.content_hash == key))


def is_stored(key: str) -> bool:
    return db.session.scalar(select(StoredPdf.id).where(StoredPdf.content_hash == key)) is not None


def stored_pdf_and_ordinal(proposal: Proposal, key: str) -> tuple[bytes | None, int]:
    """The stored file of `key` and the proposal's ordinal (for its name), in one query."""
    data, earlier = db.session.execute(
        select(
            select(StoredPdf.data).where(StoredPdf.content_hash == key).scalar_subquery(),
            _earlier_proposals(proposal).scalar_subquery(),
        )
    ).one()
    return data, 1 + earlier


def official_pdf_file(
    proposal: Proposal, content: dict, *, store: bool, submitted_at: datetime | None = None
) -> tuple[str, bytes, bool]:
    """Like `official_pdf`, and whether this call stored the file (the caller has to commit)."""
    check_description(content.get("description") or "")
    context = print_context(proposal, content, submitted_at=submitted_at)
    key = _stored_key(proposal, content, context)
    if store:
        data, number = stored_pdf_and_ordinal(proposal, key)
        if data is not None:
            return pdf_filename(proposal, content, number), data, False
    # In a task, within its soft and hard time limits (portal/tasks/settings.py).
    data = render_proposal_pdf(content, context=context, figures=figure_images(proposal))
    if store:
        # The caller commits: a task, a GET that stores the file, or the CLI.
        store_pdf(key, data, proposal=proposal, draft=context.submitted_at_text is None)
    return pdf_filename(proposal, content), data, store


def _stored_key(proposal: Proposal, content: dict, context: PrintContext) -> str:
    # The figures' hashes only: a stored file is served without reading their bytes.
    return content_hash(content, figure_stamps(proposal), context)


def store_pdf(key: str, data: bytes, *, proposal: Proposal, draft: bool) -> None:
    """Keep the file; when another worker stored the same one meanwhile, keep theirs (the same).
    `draft`: it prints no submission, so the clean-up may delete it once a newer one is stored."""
    try:
        with db.session.begin_nested():
            db.session.add(StoredPdf(content_hash=key, data=data, proposal_id=proposal.id, draft=draft))
    except IntegrityError:
        pass  # the savepoint is rolled back, the rest of the transaction stands


def revision_pdf_stored(revision: ProposalRevision) -> bool:
    """Whether the PDF of that submitted revision (as `revision_pdf` makes it) is stored."""
    return is_stored(pdf_key(revision.proposal, revision.content, submitted_at=revision.created_at))
