"""The committee's pages of a proposal know only submitted proposals.

A draft (never submitted, reopened, or withdrawn) answers 404 on every committee page, to every
role, exactly as an id that does not exist, and nothing posted there is written. The same pages
answer as usual once the proposal is submitted, so the refusals below come from its state alone.
"""

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.extensions import db
from portal.proposals.models import Proposal
from portal.proposals.services import reopen, submit, withdraw
from portal.reviews.models import Assignment, Committee, DeclaredConflict, DiscussionPost, Review
from portal.reviews.services import add_member, post_message
from tests import factories
from tests.conftest import page_text

ROLES = ("member", "manager", "admin", "school_staff", "reviewer", "director")
STATES = ("draft", "reopened", "withdrawn", "submitted")
EARLIER_POST = "Written while it was submitted."


@dataclass
class World:
    committee: Committee
    proposal: Proposal
    users: dict[str, User]

    def routes(self, proposal_id: int) -> list[tuple[str, str, dict | None]]:
        """Every committee page that takes a proposal id: (method, path, form)."""
        marks = {f"mark_{criterion.id}": "4" for criterion in self.committee.criteria}
        review = {
            **marks,
            "recommendation": "accept",
            "confidence": "3",
            "comments_committee": "Read on a draft.",
            "comments_applicant": "Read on a draft.",
            "base_version": "1",
            "action": "submit",
        }
        base = f"/reviews/proposals/{proposal_id}"
        return [
            ("GET", f"{base}/review", None),
            ("POST", f"{base}/review", review),
            ("GET", f"{base}/discussion", None),
            ("POST", f"{base}/discussion", {"body": "Posted on a draft."}),
            ("POST", f"{base}/conflict", {"reason": "Co-author."}),
        ]


def _world(state: str) -> World:
    campaign, target = factories.call_with_initiative()
    from portal.reviews.services import committee_of

    committee = committee_of(campaign=campaign, initiative=target)
    db.session.commit()
    proposal = factories.proposal(campaign_row=campaign)
    owner = proposal.owner
    member = factories.reviewer()
    add_member(committee=committee, user=member)
    db.session.commit()
    if state != "draft":
        submit(proposal=proposal, content=None, base_version=proposal.version, author=owner)
        db.session.commit()
    if state in ("reopened", "withdrawn"):
        # Talked about while it was submitted; then taken back by its director.
        post_message(proposal=proposal, author=member, body=EARLIER_POST)
        db.session.commit()
        (reopen if state == "reopened" else withdraw)(proposal=proposal, author=owner)
        db.session.commit()
    # The member is assigned, as a proposal taken back after its assignment leaves them (its
    # director may do so until the deadline); then the call closes and reviews start.
    db.session.add(Assignment(proposal_id=proposal.id, reviewer_id=member.id, assigned_by_id=member.id))
    db.session.commit()
    factories.close_call(campaign)
    users = {
        "member": member,
        "manager": factories.user(None, Role.programme_staff, scope=target, two_factor=True),
        "admin": factories.user(None, Role.admin, two_factor=True),
        "school_staff": factories.user(
            None, Role.school_staff, scope=proposal.director_school, two_factor=True
        ),
        "reviewer": factories.reviewer(),
        "director": owner,
    }
    return World(committee, proposal, users)


def _written() -> dict[str, int]:
    """What a committee page may write: posts, reviews, conflicts (and the assignment it withdraws)."""
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (DiscussionPost, Review, DeclaredConflict, Assignment)
    }


def _answer(client, method: str, path: str, form: dict | None):
    return client.get(path) if method == "GET" else client.submit(path, form, page="/")


# The submitted proposal, for comparison: who gets past each page (200 on a GET, 302 after a POST).
ALLOWED_WHEN_SUBMITTED = {
    "/review": {"member"},
    "/discussion": {"member", "manager", "admin"},
    "/conflict": {"member"},
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_committee_pages_refuse_what_is_not_submitted(app_context, client, mailbox, state, role):
    world = _world(state)
    client.sign_in_user(world.users[role])
    unknown = world.proposal.id + 1000
    for (method, path, form), (_, unknown_path, _) in zip(
        world.routes(world.proposal.id), world.routes(unknown), strict=True
    ):
        before = _written()
        response = _answer(client, method, path, form)
        db.session.expire_all()
        page = path.rpartition("/")[2]
        if state == "submitted" and role in ALLOWED_WHEN_SUBMITTED[f"/{page}"]:
            assert response.status_code == (200 if method == "GET" else 302), (method, path)
            continue
        assert response.status_code == 404, (state, role, method, path)
        assert _written() == before, (state, role, method, path)
        # No oracle: the same answer as for an id that was never used.
        same = _answer(client, method, unknown_path, form)
        assert page_text(response, path) == page_text(same, unknown_path), (method, path)
        assert EARLIER_POST not in response.get_data(as_text=True)


@pytest.mark.parametrize("state", ("draft", "reopened", "withdrawn"))
def test_the_proposal_page_and_its_pdf_refuse_the_committee_too(app_context, client, mailbox, state):
    """The assigned member reads neither the proposal nor its PDF until it is submitted again."""
    world = _world(state)
    client.sign_in_user(world.users["member"])
    for path in (f"/proposals/{world.proposal.id}", f"/proposals/{world.proposal.id}/pdf"):
        assert client.get(path).status_code == 404, path
    html = client.get("/reviews/").get_data(as_text=True)
    assert world.proposal.title not in html
