"""The demo's review in progress: ISCD's committee of AAP 2021 has reviews submitted, drafts and
reviews not started, and one reviewer already reminded, so that the committee's page shows each
reviewer's progress, staff can send reminders, and reviewer@demo.test has a draft that autosaves."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.auth import services as accounts
from portal.demo.reviews import _content, _user
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.services import start_proposal, submit
from portal.reference.models import Campaign, DoctoralSchool, Initiative
from portal.reviews.models import Recommendation
from portal.reviews.reviewing import review_of, submit_review
from portal.reviews.services import add_member, assign, committee_of

# (first name, surname, title, keywords); written for the demo.
PROPOSALS = (
    (
        "Inès",
        "Garnier",
        "Solveurs creux pour les machines exaflopiques",
        ["calcul haute performance", "algèbre"],
    ),
    ("Samuel", "Adeyemi", "Uncertainty quantification for climate simulations", ["uncertainty", "climate"]),
)


def seed_review_progress(password: str, now: datetime) -> None:
    campaign = db.session.scalar(select(Campaign).where(Campaign.year == 2021))
    iscd = db.session.scalar(select(Initiative).where(Initiative.acronym == "ISCD"))
    if campaign is None or iscd is None or iscd not in campaign.initiatives:
        return
    scope = (Proposal.campaign_id == campaign.id, Proposal.initiative_id == iscd.id)
    if db.session.scalar(select(Proposal).where(*scope)) is not None:
        return
    school = db.session.scalar(select(DoctoralSchool).where(DoctoralSchool.number == "ED130"))
    proposals = []
    for first, last, title, keywords in PROPOSALS:
        owner = _user(f"{first.lower()}.{last.lower()}@universite-demo.test", first, last, password)
        content = _content(0, owner, school)
        content.update(
            initiative="ISCD", title=title, keywords=keywords, language="fr" if proposals else "en"
        )
        content["director"].update(first_name=first, last_name=last)
        proposal = start_proposal(campaign=campaign, owner=owner, content=content)
        submit(
            proposal=proposal,
            content=None,
            base_version=proposal.version,
            author=owner,
            now=campaign.closes_at - timedelta(days=5),
        )
        proposals.append(proposal)
    committee = committee_of(campaign=campaign, initiative=iscd)
    committee.funded_contracts = 1
    # Still open: the demo's reminders and drafts have somewhere to go.
    committee.review_deadline = now + timedelta(days=21)
    # Its bids were made, as SCAI's, the week after the call closed.
    committee.bidding_opens_at = campaign.closes_at + timedelta(days=1)
    committee.bidding_closes_at = campaign.closes_at + timedelta(days=8)
    programme = accounts.find_user("programme@demo.test")
    chair, second, third = (
        accounts.find_user(f"{name}@demo.test") for name in ("reviewer", "reviewer2", "reviewer3")
    )
    for reviewer in (chair, second, third):
        add_member(committee=committee, user=reviewer, chair=reviewer is chair)
    assignments = {
        (proposal, reviewer): assign(
            committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=programme
        )
        for proposal in proposals
        for reviewer in (chair, second, third)
        if (proposal, reviewer) != (proposals[1], chair)
    }
    # reviewer2 has submitted both; reviewer@demo.test has a draft; reviewer3 has started nothing.
    for proposal in proposals:
        review = review_of(assignments[(proposal, second)])
        review.marks = {str(criterion.id): "4" for criterion in committee.criteria}
        review.recommendation = Recommendation.accept
        review.confidence = 3
        review.comments_committee = "Projet solide ; le calendrier est réaliste."
        review.comments_applicant = "Un projet clair ; détaillez les jeux de données utilisés."
        submit_review(
            assignment=assignments[(proposal, second)], committee=committee, now=now - timedelta(days=3)
        )
    draft = review_of(assignments[(proposals[0], chair)])
    draft.marks = {str(committee.criteria[0].id): "4"}
    draft.comments_committee = "Premières notes : l’état de l’art est complet."
    for member in committee.members:
        if member.user_id == third.id:
            member.reminded_at = now - timedelta(days=2)
    db.session.flush()
