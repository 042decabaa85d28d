"""Every e-mail of the portal: what it is for, and the variables an administrator's wording may use.

The files in templates/emails/ read the objects of the change (a proposal, a user…). A wording
written on /admin/emails/ sees only plain values drawn from them (`title`, `deadline`…): texts and
dates already written in Paris time in the recipient's language, never a database row, so that an
override can print nothing but what the message is meant to say.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.auth import tokens
from portal.names import formal_name

Values = Callable[[dict[str, Any]], dict[str, Any]]

DESCRIPTIONS = {
    "name": _l("Name of the recipient"),
    "inviter": _l("Name of the person who sent the invitation or gave the role"),
    "by": _l("Name of the person who made the change"),
    "when": _l("Date and time of the change (Paris time)"),
    "url": _l("The link of the message"),
    "lifetime": _l("How long the link works (“2 hours”)"),
    "sign_in_url": _l("Link to the sign-in page"),
    "reset_url": _l("Link to choose a new password"),
    "sign_up_url": _l("Link to the page that creates an account"),
    "email": _l("The e-mail address the message is sent to"),
    "title": _l("Title of the proposal"),
    "call": _l("Name of the call (“AAP 2027”)"),
    "reference": _l("Reference of the proposal (“PRD-2027-0042”)"),
    "initiative": _l("Acronym of the initiative or institute"),
    "director": _l("Thesis director (first name and LAST NAME)"),
    "submitted_at": _l("Date and time of the submission (Paris time)"),
    "version": _l("Number of the submitted version"),
    "deadline": _l("Deadline of the proposal (Paris time)"),
    "filename": _l("File name of the attached PDF; empty when it could not be made"),
    "not_told": _l(
        "In the director’s copy only: why the co-supervisor was not sent the receipt; empty otherwise"
    ),
    "outcome": _l("The decision (“Funded”…)"),
    "comments": _l("The reviewers’ comments for the director (a list; each begins “Reviewer A —”)"),
    "summary": _l("The chair’s summary for the director (Markdown), empty when none was written"),
    "drafts": _l("The drafts (a list; each has a title, a call and a deadline)"),
    "count": _l("How many proposals the message lists"),
    "committee": _l("Name of the committee"),
    "titles": _l("Titles of the proposals to review (a list)"),
    "review_deadline": _l("Deadline of the reviews (Paris time), empty when there is none"),
    "waiting_rank": _l("Place on the waiting list (1 = first), empty when not on it"),
    "target": _l("Acronym of the initiative the proposal is referred to"),
}
# How a list is written out; shown as is (Jinja syntax is not translated).
EXAMPLES = {
    "comments": "{% for comment in comments %}- {{ comment }}\n{% endfor %}",
    "drafts": "{% for draft in drafts %}- {{ draft.title }}, {{ draft.deadline }}\n{% endfor %}",
    "titles": "{% for title in titles %}- {{ title }}\n{% endfor %}",
    "review_deadline": "{% if review_deadline %}… {{ review_deadline }}{% endif %}",
    "summary": "{% if summary %}{{ summary }}{% endif %}",
    "waiting_rank": "{% if waiting_rank %}… {{ waiting_rank }}{% endif %}",
}


@dataclass(frozen=True)
class EmailKind:
    name: str
    description: Any  # a lazy string
    variables: tuple[str, ...]
    values: Values

    def describe(self) -> list[tuple[str, str, str]]:
        """(variable, what it holds, how to use it) for the edit page."""
        return [
            (variable, str(DESCRIPTIONS[variable]), EXAMPLES.get(variable, f"{{{{ {variable} }}}}"))
            for variable in self.variables
        ]


def _when(value) -> str:
    # Imported here, as labels below: portal.labels imports the review models, which import this.
    from portal.templating import local_datetime

    return local_datetime(value, "long") if value is not None else ""


def _person(context: dict, key: str) -> dict[str, str]:
    return {"name": context[key].display_name}


def _proposal(proposal) -> dict[str, str]:
    return {
        "title": proposal.title or "—",
        "call": proposal.campaign.name,
        "initiative": proposal.initiative.acronym if proposal.initiative else "—",
        "deadline": _when(proposal.deadline),
    }


def _director(revision) -> str:
    return formal_name(revision.content.get("director") or {})


def _link(purpose: str | None = None) -> Values:
    def values(context: dict) -> dict[str, str]:
        found = {"url": context["url"]}
        if purpose:
            found["lifetime"] = tokens.lifetime(purpose)
        return found

    return values


def _all(*parts: Values) -> Values:
    def values(context: dict) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        for part in parts:
            merged.update(part(context))
        return merged

    return values


def _submission(context: dict) -> dict[str, Any]:
    proposal, revision = context["proposal"], context["revision"]
    return {
        **_proposal(proposal),
        "name": proposal.owner.display_name,
        "reference": context["reference"],
        "director": _director(revision),
        "submitted_at": _when(revision.created_at),
        "version": revision.number,
    }


def _change(context: dict) -> dict[str, Any]:
    proposal = context["proposal"]
    found = {**_proposal(proposal), "reference": context["reference"], "by": context["by"].display_name}
    if "at" in context:
        found["when"] = _when(context["at"])
    if context.get("revision") is not None:
        found["director"] = _director(context["revision"])
    return found


def _decision(context: dict) -> dict[str, Any]:
    from portal.labels import label

    proposal = context["proposal"]
    return {
        **_proposal(proposal),
        "name": proposal.owner.display_name,
        "outcome": label(context["outcome"]),
        # "Reviewer A: …", never a name (reviews/summaries.py).
        "comments": [str(comment) for comment in context["from_committee"].comments],
        "summary": context["from_committee"].summary,
        "waiting_rank": context.get("waiting_rank") or "",
    }


def _offer(context: dict) -> dict[str, Any]:
    proposal = context["proposal"]
    return {
        **_proposal(proposal),
        "name": proposal.owner.display_name,
        "waiting_rank": context.get("waiting_rank") or "",
    }


def _referral(context: dict) -> dict[str, Any]:
    proposal = context["proposal"]
    return {**_proposal(proposal), "name": proposal.owner.display_name, "target": context["target"].acronym}


def _drafts(context: dict) -> dict[str, Any]:
    drafts = [
        {"title": p.title or "—", "call": p.campaign.name, "deadline": _when(p.deadline)}
        for p in context["proposals"]
    ]
    return {"name": context["director"].display_name, "drafts": drafts, "count": len(drafts)}


def _reviews(context: dict) -> dict[str, Any]:
    committee = context["committee"]
    titles = [p.title for p in context["proposals"]]
    return {
        "name": context["reviewer"].display_name,
        "committee": str(committee),
        "titles": titles,
        "count": len(titles),
        "review_deadline": _when(getattr(committee, "review_deadline", None)),
    }


def _kind(name: str, description, variables: str, *values: Values) -> EmailKind:
    return EmailKind(name, description, tuple(variables.split()), _all(*values))


_PROPOSAL = "title reference call initiative deadline"
KINDS: dict[str, EmailKind] = {
    kind.name: kind
    for kind in (
        _kind(
            "confirm_email",
            _l("Link to confirm the e-mail address of a new account."),
            "name url lifetime",
            lambda c: _person(c, "user"),
            _link("confirm-email"),
        ),
        _kind(
            "account_exists",
            _l("To someone who tries to sign up with the address of an existing account."),
            "name sign_in_url reset_url",
            lambda c: {**_person(c, "user"), "sign_in_url": c["sign_in_url"], "reset_url": c["reset_url"]},
        ),
        _kind(
            "reset_password",
            _l("Link to choose a new password."),
            "name url lifetime",
            lambda c: _person(c, "user"),
            _link("reset-password"),
        ),
        _kind(
            "reset_no_account",
            _l("To an address without an account in use, when someone asks to reset its password."),
            "email sign_up_url",
            lambda c: {"email": c["email"], "sign_up_url": c["sign_up_url"]},
        ),
        _kind(
            "invitation",
            _l("Invitation to the portal by an administrator."),
            "name inviter url lifetime",
            lambda c: {**_person(c, "user"), "inviter": c["inviter"].display_name},
            _link("accept-invitation"),
        ),
        _kind(
            "role_granted",
            _l("To a user who was given a new role."),
            "name inviter url",
            lambda c: {**_person(c, "user"), "inviter": c["inviter"].display_name},
            _link(),
        ),
        _kind(
            "co_editor_invitation",
            _l("Invitation to co-edit a proposal, sent by its director."),
            "inviter title call url lifetime",
            lambda c: {**_proposal(c["proposal"]), "inviter": c["inviter"].display_name},
            _link("accept-invitation"),
        ),
        _kind(
            "proposal_submitted",
            _l("Submission receipt, to the director and the co-supervisor."),
            f"name {_PROPOSAL} submitted_at version not_told url",
            _submission,
            lambda c: {"not_told": c["untold"].not_told_text() if c.get("untold") else ""},
            _link(),
        ),
        _kind(
            "proposal_submitted_copy",
            _l("Copy of the submission receipt, to the co-supervisor (without the director's actions)."),
            f"name director {_PROPOSAL} submitted_at version",
            _submission,
            lambda c: {"name": c["recipient"]},
        ),
        _kind(
            "proposal_transmitted",
            _l("On submission, to the doctoral school and the programme, with the official PDF attached."),
            f"{_PROPOSAL} director submitted_at filename url",
            _submission,
            lambda c: {"filename": c["filename"], "url": c["url"]},
        ),
        _kind(
            "proposal_reopened",
            _l("To the director and the co-supervisor when a submitted proposal is reopened."),
            f"{_PROPOSAL} by when url",
            _change,
            _link(),
        ),
        _kind(
            "proposal_withdrawn",
            _l("To the director and the co-supervisor when a proposal is withdrawn."),
            f"{_PROPOSAL} by when url",
            _change,
            _link(),
        ),
        _kind(
            "proposal_withdrawn_transmitted",
            _l(
                "To the doctoral school and the programme when a proposal whose PDF they received is "
                "withdrawn."
            ),
            f"{_PROPOSAL} director by when",
            _change,
        ),
        _kind(
            "proposal_extended",
            _l("To the director and the co-supervisor when staff extend the deadline of their proposal."),
            f"{_PROPOSAL} by url",
            _change,
            _link(),
        ),
        _kind(
            "draft_reminder",
            _l("Reminder to a director whose proposals are still drafts (staff dashboard)."),
            "name drafts count url",
            _drafts,
            _link(),
        ),
        _kind(
            "review_reminder",
            _l("Reminder to a reviewer of the reviews still to submit."),
            "name committee titles count review_deadline url",
            _reviews,
            _link(),
        ),
        _kind(
            "decision_published",
            _l("The committee’s decision, to the director, when decisions are published."),
            "name title call initiative outcome waiting_rank summary comments url",
            _decision,
            _link(),
        ),
        _kind(
            "contract_offered",
            _l("To the director first on the waiting list, when a funded proposal gives its contract back."),
            "name title call initiative waiting_rank url",
            _offer,
            _link(),
        ),
        _kind(
            "proposal_referred",
            _l("To the director, when programme staff refer the proposal to another initiative of the call."),
            "name title call initiative target url",
            _referral,
            _link(),
        ),
    )
}
