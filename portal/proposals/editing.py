"""What the form page shows around the form: totals, warnings, preview, conflicts, problems."""

from typing import Any

from flask import render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.proposals import measures
from portal.proposals.content import normalise, total_share
from portal.proposals.description_view import source_html, stored_html
from portal.proposals.diff import changes
from portal.proposals.forms import (
    ProposalForm,
    attach_problems,
    content_from_form,
    form_data,
    person_from_form,
)
from portal.proposals.limits import description_problem
from portal.proposals.merge_saves import Merged, form_version, merge_stale, read_base, start_from
from portal.proposals.merging import Merge
from portal.proposals.models import Proposal
from portal.proposals.permissions import can_edit, can_manage, is_owner
from portal.proposals.rules import find_school
from portal.reference.codes import is_unit_code, normalise_unit_code
from portal.reference.models import ResearchUnit
from portal.reference.unit_form import set_profile_unit


def description_preview(proposal: Proposal, text: str) -> dict[str, Any]:
    """The live counter's answer: the page measure against the call's limit, and the preview HTML.

    A text beyond the limits gets their message and no rendering. Otherwise the measure is asked
    of the workers (proposals/measures.py) and waited for at most RENDER_WAIT_SECONDS; when not
    made by then, the answer says "counting" with the address to poll.
    """
    problem = description_problem(text)
    if problem is not None:
        limit = proposal.campaign.page_limit
        return {
            "status": "refused",
            "html": "",
            "pages": None,
            "limit": limit,
            "fits": False,
            "label": str(problem),
        }
    state = measures.ask(proposal, text, current_user)
    if not state.done:
        state = measures.wait(state.key)
    return preview_answer(proposal, text, state)


def preview_answer(proposal: Proposal, text: str, state: measures.MeasureState) -> dict[str, Any]:
    limit = proposal.campaign.page_limit
    answer = {"status": "counting", "html": "", "pages": None, "limit": limit, "fits": False}
    if state.measure is not None:
        result = state.measure
        answer.update(status="measured", html=str(stored_html(proposal, text)), pages=result.pages)
        answer.update(
            fits=result.fits(limit),
            label=_(
                "%(pages)s of %(limit)d pages",
                pages=format_decimal(float(result.display), "0.0"),
                limit=limit,
            ),
        )
    elif state.failure is not None:
        label = measures.count_failed(state.failure)
        answer.update(status="failed", html=str(source_html(text)), label=label)
    else:
        answer.update(
            label=_("Counting the pages…"),
            poll=url_for("proposals.preview_poll", proposal_id=proposal.id, key=state.key),
        )
    return answer


def share_summary(person: dict[str, Any] | None) -> dict[str, Any] | None:
    """Count, total share, and the cap of the person's doctoral school when it has one, with the
    words the pages print for them: the form's live check (live_checks.py) sends the same."""
    if person is None:
        return None
    school = find_school(person["doctoral_school"]) if person.get("doctoral_school") else None
    total = total_share(person)
    cap = school.supervision_cap if school else None
    over = cap is not None and total > cap
    return {
        "count": len(person["students"]),
        "total": total,
        "cap": cap,
        "over": over,
        "cap_label": _("cap of the doctoral school: %(cap)d %%", cap=cap) if cap else "",
        "warning": _("The total share is above the cap of the doctoral school.") if over else "",
        "school_label": str(school) if school else person.get("doctoral_school"),
    }


class EditPage:
    """The edit page of one proposal, for one request."""

    def __init__(self, proposal: Proposal, form: ProposalForm | None):
        self.proposal = proposal
        self.form = form
        # Said next to the page count: the submission waits for a count still being made.
        self.count_notice: str | None = None
        self.conflict_changes = None
        self.problems: list = []
        self.lookup: dict[str, str] | None = None
        # On a conflict, the other side's changes already put in the form.
        self.merged: Merged | None = None

    def typed_content(self) -> dict[str, Any]:
        return normalise(content_from_form(self.form)) if self.form else self.proposal.content

    def rebuild(self, action: str) -> "EditPage":
        """Add or remove a student row, then show the form again."""
        raw = self._typed_raw()
        if action.startswith("add-student:"):
            who = action.split(":")[1]
            raw[who]["students"].append({"name": "", "start": "", "funding": "", "share": ""})
        elif action.startswith("remove-student:"):
            _, who, index = action.split(":")
            rows = raw[who]["students"]
            if index.isdigit() and int(index) < len(rows):
                rows.pop(int(index))
        return self._show(raw)

    def with_co_supervisor(self, person: dict[str, Any], *, kind: str, message: str) -> "EditPage":
        """The co-supervisor block filled with what an account shares, the look-up's message beside it."""
        raw = self._typed_raw()
        raw["co_supervisor"].update(person)
        self.lookup = {"kind": kind, "message": message}
        return self._show(raw)

    def _typed_raw(self) -> dict[str, Any]:
        raw = content_from_form(self.form)
        raw["co_supervisor"] = person_from_form(self.form.co_supervisor)
        return raw

    def _show(self, raw: dict[str, Any]) -> "EditPage":
        version, base = self.form.base_version.data, self.form.base.data
        self.form = ProposalForm(formdata=None, campaign=self.proposal.campaign, data=form_data(raw))
        self.form.base_version.data, self.form.base.data = version, base
        return self

    def conflict(self, merge: Merge | None = None) -> "EditPage":
        """Someone saved in between. What merges is put in the form (not saved yet); beside it, the
        saved version of the fields both changed. Without a known base (or when the merge fails
        its check), all of this user's text stays in the form and every difference is shown."""
        db.session.refresh(self.proposal)
        if merge is None:
            typed = content_from_form(self.form)
            base = read_base(self.form.base.data, self.proposal, form_version(self.form))
            merge = merge_stale(self.proposal, typed, base)
        if merge is not None and merge.verified:
            self._show(merge.content)
            self.merged = Merged(other=self.proposal.last_saved_by, fields=merge.theirs, author=current_user)
            self.conflict_changes = [
                change
                for change in changes(self.proposal.content, merge.content)
                if any(change.path == path or change.path.startswith(f"{path}.") for path in merge.conflicts)
            ]
        else:
            self.conflict_changes = changes(self.proposal.content, self.typed_content())
        start_from(self.form, self.proposal)
        return self

    def refused(self, problems) -> "EditPage":
        self.problems = problems
        attach_problems(self.form, problems)
        return self

    def render(self) -> str:
        content = self.typed_content()
        context = self.view_context()
        context.update(
            form=self.form,
            director_shares=share_summary(content["director"]),
            co_supervisor_shares=share_summary(
                content["co_supervisor"] or {"students": [], "doctoral_school": None}
            ),
            count_notice=self.count_notice,
            conflict_changes=self.conflict_changes,
            problems=self.problems,
            lookup=self.lookup,
            merged=self.merged,
        )
        return render_template("proposals/edit.html", **context)

    def view_context(self) -> dict[str, Any]:
        proposal = self.proposal
        now = utcnow()
        return {
            "proposal": proposal,
            "content": proposal.content,
            "campaign": proposal.campaign,
            "deadline": proposal.deadline,
            "seconds_left": max(0, int((proposal.deadline - now).total_seconds())),
            "is_open": proposal.is_open_for_changes(now),
            "can_edit": can_edit(current_user, proposal),
            "is_owner": is_owner(current_user, proposal),
            "can_manage": can_manage(current_user, proposal),
            "director_shares": share_summary(proposal.content["director"]),
            "co_supervisor_shares": share_summary(proposal.content["co_supervisor"]),
        }


def profile_from_director(user: User, director: dict[str, Any]) -> None:
    """The director chose to keep these details in their profile too."""
    for key in ("last_name", "first_name", "title", "address"):
        if director.get(key):
            setattr(user, key, director[key])
    user.hdr = bool(director.get("hdr"))
    school = find_school(director["doctoral_school"]) if director.get("doctoral_school") else None
    if school is not None:
        user.doctoral_school = school
    unit = director.get("unit") or {}
    if unit.get("code") and is_unit_code(unit["code"]):
        # Kept as typed unless the list has it: administrators decide what joins the list.
        set_profile_unit(user, unit)


def find_or_create_unit(unit: dict[str, Any]) -> ResearchUnit:
    """The research unit with this code, created from the proposal's fields when not yet known."""
    code = normalise_unit_code(unit["code"])
    known = db.session.scalar(select(ResearchUnit).where(ResearchUnit.code == code))
    if known is not None:
        return known
    # The proposal's fields are free text; the reference columns are bounded.
    created = ResearchUnit(
        code=code, acronym=(unit.get("acronym") or code)[:32], name=(unit.get("name") or code)[:255]
    )
    db.session.add(created)
    return created
