"""Made-up data for every e-mail, shaped like what the code passes: the previews and the checks of
/admin/emails/ render with it, so nothing real is needed (nor shown) to edit a message."""

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

_SUBMITTED = datetime(2027, 2, 10, 15, 42, tzinfo=UTC)
_DEADLINE = datetime(2027, 3, 15, 11, 0, tzinfo=UTC)
_CHANGED = datetime(2027, 2, 20, 9, 30, tzinfo=UTC)
_URL = "https://prd.example.org/proposals/42"


class _Committee(SimpleNamespace):
    def __str__(self) -> str:
        return self.name


def _person(first: str, last: str) -> SimpleNamespace:
    return SimpleNamespace(display_name=f"{first} {last}", first_name=first, last_name=last)


def _proposal() -> SimpleNamespace:
    director = _person("Ada", "Lovelace")
    revision = SimpleNamespace(
        number=3,
        created_at=_SUBMITTED,
        content={"director": {"first_name": "Ada", "last_name": "Lovelace"}},
    )
    return SimpleNamespace(
        id=42,
        title="Learning to prove theorems with language models",
        campaign=SimpleNamespace(name="AAP 2027", year=2027),
        initiative=SimpleNamespace(acronym="SCAI"),
        owner=director,
        deadline=_DEADLINE,
        submitted_revision=revision,
        revision=revision,
    )


def sample_context(template: str) -> dict[str, Any]:
    """What the code would pass to send_template for `template`, made up."""
    from portal.proposals.receipts import CoSupervisor  # proposals import the mail module
    from portal.reviews.applicant import DirectorStatus, Standing
    from portal.reviews.models import Outcome  # the review package imports the mail module
    from portal.reviews.summaries import ForDirector, LetteredComment

    proposal = _proposal()
    user = _person("Grace", "Hopper")
    staff = _person("Alan", "Turing")
    change = {"proposal": proposal, "reference": "PRD-2027-0042", "by": proposal.owner, "at": _CHANGED}
    contexts = {
        "confirm_email": {"user": user, "url": "https://prd.example.org/account/confirm/…"},
        "account_exists": {
            "user": user,
            "sign_in_url": "https://prd.example.org/account/sign-in",
            "reset_url": "https://prd.example.org/account/forgot-password",
        },
        "reset_password": {"user": user, "url": "https://prd.example.org/account/reset/…"},
        "reset_no_account": {
            "email": "grace.hopper@example.org",
            "sign_up_url": "https://prd.example.org/account/sign-up",
        },
        "invitation": {"user": user, "inviter": staff, "url": "https://prd.example.org/account/invitation/…"},
        "role_granted": {"user": user, "inviter": staff, "url": "https://prd.example.org/"},
        "co_editor_invitation": {
            "proposal": proposal,
            "inviter": proposal.owner,
            "url": "https://prd.example.org/proposals/co-editing/…",
        },
        "proposal_submitted": {
            "proposal": proposal,
            "revision": proposal.revision,
            "reference": "PRD-2027-0042",
            "url": _URL + "/receipt",
            # The director's copy, with a co-supervisor the portal does not write to.
            "untold": CoSupervisor(address="grace.hopper@example.org", locale=None, why_not="no_account"),
            "status": DirectorStatus(Standing.submitted, _DEADLINE, None, can_reopen=True, can_withdraw=True),
        },
        "proposal_submitted_copy": {
            "proposal": proposal,
            "revision": proposal.revision,
            "reference": "PRD-2027-0042",
            "recipient": "Grace Hopper",
            "director": "Ada LOVELACE",
        },
        "proposal_transmitted": {
            "proposal": proposal,
            "revision": proposal.revision,
            "reference": "PRD-2027-0042",
            "filename": "SCAI – AAP 2027 – LOVELACE.pdf",
            "url": _URL,
        },
        "proposal_reopened": {**change, "url": _URL},
        "proposal_withdrawn": {**change, "url": _URL},
        "proposal_withdrawn_transmitted": {**change, "revision": proposal.revision},
        "proposal_extended": {**change, "by": staff, "url": _URL},
        "draft_reminder": {
            "director": proposal.owner,
            "proposals": [
                proposal,
                SimpleNamespace(title="", campaign=proposal.campaign, deadline=_DEADLINE),
            ],
            "url": "https://prd.example.org/proposals/",
        },
        "review_reminder": {
            "reviewer": user,
            "committee": _Committee(name="SCAI – AAP 2027", review_deadline=_DEADLINE),
            "proposals": [proposal, SimpleNamespace(title="Certified robustness of neural networks")],
            "url": "https://prd.example.org/",
        },
        "contract_offered": {"proposal": proposal, "waiting_rank": 1, "url": _URL},
        "proposal_referred": {"proposal": proposal, "target": SimpleNamespace(acronym="ISCD"), "url": _URL},
        "decision_published": {
            "proposal": proposal,
            "outcome": Outcome.waiting_list,
            "waiting_rank": 2,
            "from_committee": ForDirector(
                summary="Both reviewers praise the **clarity** of the project; plan the second year in "
                "more detail.",
                comments=[
                    LetteredComment("A", "A clear and ambitious project."),
                    LetteredComment("B", "The schedule of the second year is tight."),
                ],
            ),
            "url": _URL,
        },
    }
    return contexts[template]
