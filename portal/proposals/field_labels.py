"""What the form calls each field of a content document: "Thesis director › Student 1 › Share".

The history, the conflict view and the list of a refused submission's problems name fields with
the form's own labels, read from the form classes, never with the document's internal keys.
"""

from typing import Any

from flask_babel import lazy_gettext as _l

from portal.proposals.forms import (
    FLAT_FIELDS,
    CoSupervisorForm,
    DirectorForm,
    ExcludedReviewerForm,
    ProposalForm,
    StudentForm,
    UnitForm,
    field_for_path,
)

# The groups of fields; a field of the form's own is named by its label.
_LABELS = {
    "director": _l("Thesis director"),
    "co_supervisor": _l("Co-supervisor"),
    "other_initiative_interest": _l("Interest of another initiative"),
    "cotutelle": _l("International co-tutelle"),
    "excluded_reviewers": _l("People who should not review this proposal"),
}


def _form_label(form_class: type, name: str) -> str | None:
    """The label the form gives its field `name` (None when it has no such field)."""
    unbound = getattr(form_class, name, None)
    if unbound is None or not hasattr(unbound, "field_class"):
        return None
    label = unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else None)
    # A sub-form's first argument is its class, not a label.
    return None if label is None or isinstance(label, type) else str(label)


def _person_labels(form_class: type, parts: list[str]) -> list[str]:
    if parts == ["students"]:
        return [str(_l("PhD students currently supervised"))]
    if parts[0] == "students" and len(parts) >= 2 and parts[1].isdigit():
        student = str(_l("Student %(number)s", number=int(parts[1]) + 1))
        field = _form_label(StudentForm, parts[2]) if len(parts) > 2 else None
        return [student, *([field] if field else parts[2:])]
    if parts[0] == "unit" and len(parts) == 2:
        return [_form_label(UnitForm, parts[1]) or parts[1]]
    return [_form_label(form_class, parts[0]) or " › ".join(parts)]


def label_for(path: str) -> str:
    """The form's own words for a content path: "Thesis director › Student 1 › Name"."""
    top, *rest = path.split(".")
    # A field of the form's own (title, keywords, description) by its label; a group by its name.
    label = (_form_label(ProposalForm, top) if not rest else None) or str(_LABELS.get(top, top))
    if not rest:
        return label
    if path in FLAT_FIELDS:
        # The group's own question is its answer; its other fields are named under it.
        return label if rest == ["answer"] else f"{label} › {_form_label(ProposalForm, FLAT_FIELDS[path])}"
    if top == "excluded_reviewers" and rest[0].isdigit():
        person = str(_l("Person %(number)s", number=int(rest[0]) + 1))
        return " › ".join(
            [label, person, *[_form_label(ExcludedReviewerForm, part) or part for part in rest[1:]]]
        )
    person_form = {"director": DirectorForm, "co_supervisor": CoSupervisorForm}.get(top)
    parts = _person_labels(person_form, rest) if person_form else rest
    return " › ".join([label, *parts])


def problem_summary(form: ProposalForm, problems) -> list[dict[str, Any]]:
    """Each problem of a refused submission with its field's label and the id of its input, for
    the list at the top of the form whose links move to each field."""
    summary = []
    for problem in problems:
        field = field_for_path(form, problem.path) if problem.path else None
        anchor = getattr(field, "id", None) if hasattr(field, "errors") else None
        summary.append(
            {
                "label": label_for(problem.path) if problem.path else "",
                "message": str(problem.message),
                "anchor": anchor,
            }
        )
    return summary
