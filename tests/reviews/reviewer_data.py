"""Data for the reviewer's side: a committee, a submitted proposal, a reviewer assigned to it."""

from dataclasses import dataclass

from portal.auth.models import User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.reviews.models import Assignment, Committee
from portal.reviews.services import add_member, assign, committee_of
from tests import factories


@dataclass
class Desk:
    committee: Committee
    proposal: Proposal
    reviewer: User
    assignment: Assignment

    @property
    def review_path(self) -> str:
        return f"/reviews/proposals/{self.proposal.id}/review"

    def complete_form(self, **changes) -> dict:
        data = {f"mark_{criterion.id}": "4" for criterion in self.committee.criteria}
        data.update(
            recommendation="accept",
            confidence="3",
            comments_committee="Solid plan.",
            comments_applicant="A clear and ambitious project.",
            action="save",
        )
        data.update(changes)
        return data


def member(committee: Committee, **values) -> User:
    reviewer = factories.reviewer(**values)
    add_member(committee=committee, user=reviewer)
    db.session.commit()
    return reviewer


def desk(title: str = "Memorization in deep networks") -> Desk:
    target = factories.initiative()
    campaign = factories.campaign()
    campaign.initiatives.append(target)
    db.session.commit()
    committee = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    proposal = factories.submitted_proposal(campaign, title=title)
    reviewer = member(committee)
    assignment = assign(committee=committee, proposal=proposal, reviewer=reviewer, assigned_by=reviewer)
    db.session.commit()
    factories.close_call(campaign)  # reviews start only once the call has closed
    return Desk(committee, proposal, reviewer, assignment)
