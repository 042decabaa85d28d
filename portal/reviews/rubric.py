"""The rubric of a committee: the default one, and edits refused once reviews exist."""

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.extensions import db
from portal.reviews.models import Committee, Criterion, Review, Scale

DEFAULT_CRITERIA = (
    (
        "Qualité scientifique du projet",
        "Scientific quality of the project",
        "Originalité, clarté des objectifs, état de l’art.",
        "Originality, clarity of the objectives, state of the art.",
        2.0,
    ),
    (
        "Faisabilité et encadrement",
        "Feasibility and supervision",
        "Plan de travail réaliste en trois ans ; expérience et disponibilité des encadrant·e·s.",
        "A work plan that fits three years; the supervisors' experience and availability.",
        1.5,
    ),
    (
        "Adéquation avec l’initiative",
        "Fit with the initiative",
        "Le projet relève-t-il des thèmes et de l’interdisciplinarité de l’initiative ?",
        "Does the project belong to the initiative's themes and interdisciplinarity?",
        1.0,
    ),
    (
        "Profil recherché et recrutement",
        "Candidate profile and recruitment",
        "Profil clair, recrutement ouvert et international.",
        "A clear profile, open and international recruitment.",
        1.0,
    ),
)


class RubricFrozen(Exception):
    """Reviews exist: changing the criteria would silently change their scores."""


@dataclass(frozen=True)
class CriterionRow:
    name_fr: str
    name_en: str
    help_fr: str = ""
    help_en: str = ""
    scale: Scale = Scale.one_to_five
    weight: float = 1.0
    counts: bool = True


def default_criteria() -> list[CriterionRow]:
    return [
        CriterionRow(fr, en, help_fr, help_en, weight=weight)
        for fr, en, help_fr, help_en, weight in DEFAULT_CRITERIA
    ]


def review_count(committee: Committee) -> int:
    # Every review, those set aside too: their marks keep the rubric's meaning.
    return db.session.scalar(
        select(func.count(Review.id)).where(Review.proposal_id.in_(_proposal_ids(committee)))
    )


def _proposal_ids(committee: Committee):
    from portal.proposals.models import Proposal

    return select(Proposal.id).where(
        Proposal.campaign_id == committee.campaign_id, Proposal.initiative_id == committee.initiative_id
    )


def set_criteria(*, committee: Committee, rows: list[CriterionRow]) -> None:
    """Replace the rubric; refused once any review of the committee's proposals exists."""
    if review_count(committee):
        raise RubricFrozen(str(committee))
    committee.criteria.clear()
    db.session.flush()
    for position, row in enumerate(rows):
        committee.criteria.append(
            Criterion(
                position=position,
                name_fr=row.name_fr,
                name_en=row.name_en,
                help_fr=row.help_fr,
                help_en=row.help_en,
                scale=row.scale,
                weight=row.weight,
                counts=row.counts,
            )
        )
    db.session.flush()
