"""A call whose subjects are in every state the catalogue knows, for the catalogue's tests.

`build()` makes AAP 2021 with SCAI (its committee, its decisions published, the policy
`funded_and_waiting`) and one submitted subject per state; each is a `Subject(proposal, row)`
in `World.subjects` under its name. Private values (`PRIVATE`) are in every proposal's content,
so that a test can look for them in every public page.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from portal.auth.models import Role, User
from portal.catalogue.models import PublicationPolicy, PublicSubject
from portal.catalogue.services import correct, record_submission, set_policy, subject_of, unpublish
from portal.db import utcnow
from portal.extensions import db
from portal.proposals.models import Proposal, ProposalState
from portal.proposals.services import submit
from portal.reference.models import Campaign, Initiative
from portal.reviews.models import Committee, Decision, Outcome
from portal.reviews.services import committee_of
from tests import factories

#: Things of a proposal no public page may show (a student, a share, the director's address…).
PRIVATE = (
    "Ada Martin",  # a current student
    "contrat ANR",  # their funding
    "4 place Jussieu",  # the director's address
    "@example.org",  # every address of the world: none is chosen as a contact but `contact`'s
    "Secret review comment",
    "not_funded",
)
CONTACT = "apply@lab.test"

#: name → (outcome, consent)
STATES = {
    "funded": (Outcome.funded, True),
    "waiting": (Outcome.waiting_list, True),
    "not_funded": (Outcome.not_funded, True),
    "unconsented": (Outcome.funded, False),
    "withdrawn": (Outcome.funded, True),
    "unpublished": (Outcome.funded, True),
    "draft": (Outcome.funded, True),
}


@dataclass
class World:
    campaign: Campaign
    initiative: Initiative
    committee: Committee
    staff: User
    subjects: dict[str, Proposal] = field(default_factory=dict)

    def subject(self, name: str) -> PublicSubject | None:
        return subject_of(self.subjects[name])

    def url(self, name: str, suffix: str = "") -> str:
        row = self.subject(name)
        return f"/subjects/{self.campaign.year}/{row.id}{suffix}"

    def correct(self, name: str, *, by: User | None = None, **changes) -> PublicSubject:
        """Its director (or `by`) corrects the public version: `changes` of title, keywords or
        description, the rest kept; committed."""
        subject = self.subject(name)
        correct(
            subject=subject,
            title=changes.get("title", subject.title),
            keywords=changes.get("keywords", subject.content.get("keywords") or []),
            description=changes.get("description", subject.content["description"]),
            contact_email="",
            position_filled=False,
            note="",
            by=by or self.subjects[name].owner,
            published=True,
        )
        db.session.commit()
        return subject


# One text for every subject: rendered once per test (the store is keyed by text and figures).
DESCRIPTION = (
    "## Context\n\nThe loss $\\mathcal{L}(\\theta) = \\sum_i \\ell_i$ is studied.\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n![Figure 1: the model](figure:model)\n\n"
    "## How to apply\n\nSend a CV and your transcripts."
)


def build(*, policy: PublicationPolicy = PublicationPolicy.funded_and_waiting) -> World:
    """The world, committed; the call closed and its decisions published."""
    from tests.catalogue.figures import add_figure

    campaign, scai = factories.call_with_initiative("SCAI", 2021)
    committee = committee_of(campaign=campaign, initiative=scai)
    staff = factories.user("programme@example.org", Role.programme_staff, scope=scai, two_factor=True)
    world = World(campaign, scai, committee, staff)
    for name, (outcome, consent) in STATES.items():
        director = factories.user(f"{name}@example.org")
        title = f"Subject {name.replace('_', ' ')}"
        row = factories.proposal(director, campaign_row=campaign)
        add_figure(row, "model")
        content = dict(row.content, title=title, description=DESCRIPTION)
        content["co_supervisor"] = None
        submit(proposal=row, content=content, base_version=row.version, author=director)
        record_submission(
            proposal=row, consent=consent, contact_email=CONTACT if name == "funded" else "", by=director
        )
        db.session.add(
            Decision(
                proposal_id=row.id, outcome=outcome, decided_by_id=staff.id, rank=len(world.subjects) + 1
            )
        )
        world.subjects[name] = row
        db.session.commit()
    withdrawn = world.subjects["withdrawn"]
    withdrawn.state, withdrawn.submitted_at, withdrawn.withdrawn_at = ProposalState.withdrawn, None, utcnow()
    draft = world.subjects["draft"]
    draft.state, draft.submitted_at = ProposalState.draft, None
    unpublish(subject=world.subject("unpublished"), reason="Duplicate of another subject", by=staff)
    now = utcnow()
    campaign.opens_at, campaign.closes_at = now - timedelta(days=30), now - timedelta(days=1)
    committee.decisions_published_at = now - timedelta(minutes=1)
    set_policy(campaign=campaign, policy=policy, by=staff)
    db.session.commit()
    return world
