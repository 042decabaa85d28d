"""The demo's closed call, AAP 2021: submitted proposals to SCAI, reviews, a discussion, a ranking
and published decisions, so every review page has something to show."""

from datetime import UTC, datetime

from sqlalchemy import select

from portal.auth import services as accounts
from portal.auth.models import Role, User
from portal.auth.passwords import hash_password
from portal.db import utcnow
from portal.demo import subjects
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.services import start_proposal, submit
from portal.reference.models import Campaign, DoctoralSchool, Initiative
from portal.reviews.conflict_rulings import rule_on_conflict
from portal.reviews.conflicts import in_conflict
from portal.reviews.decisions import publish_decisions, set_decisions
from portal.reviews.models import ConflictVerdict, Outcome, Recommendation
from portal.reviews.reviewing import review_of, submit_review
from portal.reviews.services import add_member, assign, committee_of, post_message

# (surname, first name, unit code, title, keywords, summary); written for the demo.
PROPOSALS_2021 = (
    (
        "Rousseau",
        "Marion",
        "UMR7606",
        "Optimisation non convexe et généralisation des réseaux profonds",
        ["optimisation", "apprentissage profond"],
        "Pourquoi la descente de gradient trouve-t-elle des minima qui généralisent ?",
    ),
    (
        "Nguyen",
        "Thao",
        "UMR8001",
        "Graph neural networks for molecular property prediction",
        ["graphs", "chemistry", "deep learning"],
        "Message passing networks that respect the symmetries of molecules.",
    ),
    (
        "Fabre",
        "Antoine",
        "UMR7606",
        "Apprentissage frugal pour l’imagerie médicale",
        ["imagerie", "petits jeux de données"],
        "Apprendre avec quelques centaines d’images annotées.",
    ),
    (
        "Okafor",
        "Chidi",
        "UMR8001",
        "Robustness certificates for neural classifiers",
        ["robustness", "verification"],
        "Provable bounds on the effect of small perturbations of the input.",
    ),
)
DEMO_PASSWORD_HASH_USERS = ("reviewer2@demo.test", "reviewer3@demo.test")
MARKS = (("5", "4", "5", "4"), ("4", "4", "3", "4"), ("3", "4", "4", "3"), ("2", "3", "3", "3"))


def _user(email: str, first: str, last: str, password: str, *, reviewer: bool = False) -> User:
    user = accounts.find_user(email)
    if user is None:
        user = User(
            email=email,
            first_name=first,
            last_name=last,
            password_hash=hash_password(password),
            email_confirmed_at=utcnow(),
            hdr=True,
            title="Professeur·e des universités",
        )
        db.session.add(user)
        db.session.flush()
        accounts.grant_role(user=user, role=Role.supervisor)
        if reviewer:
            accounts.grant_role(user=user, role=Role.reviewer)
    return user


def _content(index: int, owner: User, school: DoctoralSchool) -> dict:
    last, first, code, title, keywords, summary = PROPOSALS_2021[index]
    unit = {
        "acronym": "LIP6" if code == "UMR7606" else "LPSM",
        "name": "Unité de démonstration",
        "code": code,
    }
    return {
        "initiative": "SCAI",
        "title": title,
        "keywords": keywords,
        "language": "fr" if index % 2 == 0 else "en",
        "director": {
            "last_name": last,
            "first_name": first,
            "title": "Maître·sse de conférences HDR",
            "email": owner.email,
            "address": "4 place Jussieu, 75005 Paris",
            "hdr": True,
            "unit": unit,
            "doctoral_school": school.number,
            "students": [
                {
                    "name": "Doctorant·e de démonstration",
                    "start": "2019-10",
                    "funding": "contrat doctoral",
                    "share": 50,
                }
            ],
        },
        "co_supervisor": None,
        "other_initiative_interest": {"answer": False, "details": ""},
        "cotutelle": {"answer": False, "partner": "", "country": ""},
        "description": subjects.description(index, summary),
    }


def _rule_on_the_unit_conflicts(proposals: list[Proposal], reviewer: User, programme: User) -> None:
    """reviewer@demo.test shares UMR8001 with two directors: the staff waived one suspicion and
    confirmed the other, each with its reason (after the reviews: the waiver assigned no one)."""
    rulings = (
        (
            proposals[1],
            ConflictVerdict.waived,
            "Même unité (LPSM), mais une autre équipe et aucune publication commune.",
        ),
        (proposals[3], ConflictVerdict.confirmed, "Co-auteur·rice du directeur sur trois articles récents."),
    )
    for proposal, verdict, reason in rulings:
        ruling = rule_on_conflict(
            proposal=proposal, user=reviewer, verdict=verdict, reason=reason, decided_by=programme
        )
        ruling.decided_at = datetime(2021, 3, 1, 10, 0, tzinfo=UTC)


def seed_reviews(password: str) -> None:
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == 2021))
    scai = db.session.scalar(select(Initiative).where(Initiative.acronym == "SCAI"))
    if campaign is None or scai is None:
        return
    if db.session.scalar(select(Proposal).where(Proposal.campaign_id == campaign.id)) is not None:
        return
    school = db.session.scalar(select(DoctoralSchool).where(DoctoralSchool.number == "ED130"))
    during_call = datetime(2021, 2, 15, 12, 0, tzinfo=UTC)
    proposals = []
    for index, (last, first, *_rest) in enumerate(PROPOSALS_2021):
        owner = _user(f"{first.lower()}.{last.lower()}@universite-demo.test", first, last, password)
        proposal = start_proposal(campaign=campaign, owner=owner, content=_content(index, owner, school))
        subjects.add_figures(proposal, index)
        submit(proposal=proposal, content=None, base_version=proposal.version, author=owner, now=during_call)
        proposals.append(proposal)
    committee = committee_of(campaign=campaign, initiative=scai)
    committee.funded_contracts = 2
    committee.review_deadline = datetime(2021, 3, 31, 21, 59, tzinfo=UTC)
    reviewers = [accounts.find_user("reviewer@demo.test")] + [
        _user(email, "Relecteur·rice", f"Démo {n}", password, reviewer=True)
        for n, email in enumerate(DEMO_PASSWORD_HASH_USERS, start=2)
    ]
    programme = accounts.find_user("programme@demo.test")
    for position, reviewer in enumerate(reviewers):
        add_member(committee=committee, user=reviewer, chair=position == 0)
    for index, proposal in enumerate(proposals):
        # Two reviews per proposal from reviewers without a conflict (reviewer@demo.test shares
        # UMR8001 with two directors: the demo shows that conflict instead).
        rotated = reviewers[index % 3 :] + reviewers[: index % 3]
        free = [reviewer for reviewer in rotated if not in_conflict(reviewer, proposal)][:2]
        for offset, reviewer in enumerate(free):
            assignment = assign(
                committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=programme
            )
            review = review_of(assignment)
            marks = MARKS[index]
            review.marks = {
                str(criterion.id): marks[(n + offset) % 4] if offset else marks[n]
                for n, criterion in enumerate(committee.criteria)
            }
            review.recommendation = Recommendation.accept if index < 2 else Recommendation.weak_accept
            review.confidence = 3
            review.comments_committee = "Solide ; l’encadrement est bien décrit."
            review.comments_applicant = "Projet clair. Précisez le calendrier de la deuxième année."
            submit_review(assignment=assignment, committee=committee, now=datetime(2021, 3, 20, tzinfo=UTC))
    _rule_on_the_unit_conflicts(proposals, reviewers[0], programme)
    post_message(
        proposal=proposals[2],
        author=reviewers[0],
        body="Les deux avis divergent sur la faisabilité : qu’en pensez-vous ?",
    )
    post_message(
        proposal=proposals[2],
        author=reviewers[1],
        body="Le plan de la troisième année me semble court, mais le sujet est bon.",
    )
    outcomes = {
        proposals[0].id: Outcome.funded,
        proposals[1].id: Outcome.funded,
        proposals[2].id: Outcome.waiting_list,
        proposals[3].id: Outcome.not_funded,
    }
    set_decisions(committee=committee, ordered_ids=[p.id for p in proposals], outcomes=outcomes, by=programme)
    publish_decisions(committee=committee, by=programme)
    subjects.seed_catalogue(proposals, programme)
    db.session.flush()
