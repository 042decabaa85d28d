"""Saving over someone else's save: merged without asking when the two changed different things.

The page carries the version it started from, signed by the server together with that version's
content (`base_token`). The server thus keeps no copy of every autosaved version (revisions fold
a person's saves of ten minutes into one, so they cannot serve as bases), and a token it did not
sign, or one of another proposal or version, is never used. A save made from an older version is
merged with what is saved now against that base (merging.py). A clean merge is saved as a
revision of its own, "merged with" the revision it met; anything else is refused with
`MergeRefused`, which carries the merge for the side-by-side page.
"""

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

from portal.audit.services import record
from portal.auth.models import User
from portal.proposals.content import empty_person, normalise
from portal.proposals.field_labels import label_for
from portal.proposals.forms import FLAT_FIELDS, form_data
from portal.proposals.merging import Merge, merge_content
from portal.proposals.models import Proposal
from portal.proposals.services import StaleVersion, save_draft

_SALT = "prd-portal/merge-base"
# The signed base holds the whole content (compressed): bounded where it enters, by the form.
BASE_TOKEN_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class Base:
    version: int
    revision: int
    content: dict[str, Any]


@dataclass(frozen=True)
class Merged:
    """A stale save that went through: the other side's fields were taken in."""

    other: User | None
    fields: list[str]
    author: User

    def labels(self) -> str:
        """The other side's fields, named as the form names them."""
        return ", ".join(dict.fromkeys(label_for(path) for path in self.fields))

    def message(self) -> str:
        """What the person saving is told."""
        labels = self.labels()
        if self.other is None or self.other.id == self.author.id:
            return _("Merged with the changes you saved from another page to %(fields)s.", fields=labels)
        return _("Merged with %(name)s's changes to %(fields)s.", name=self.other.display_name, fields=labels)


class MergeRefused(StaleVersion):
    """The stale save does not merge by itself; `merge` is None when its base is unknown."""

    def __init__(self, proposal: Proposal, base_version: int, merge: Merge | None):
        super().__init__(proposal, base_version)
        self.merge = merge


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def base_token(proposal: Proposal) -> str:
    """The signed version and content this page starts from."""
    revision = proposal.revisions[-1].number if proposal.revisions else 0
    return _serializer().dumps(
        {"p": proposal.id, "v": proposal.version, "r": revision, "c": proposal.content}
    )


def start_from(form, proposal: Proposal) -> None:
    """The form's hidden fields name the proposal as it is now."""
    form.base_version.data = proposal.version
    form.base.data = base_token(proposal)


def form_version(form) -> int:
    """The version the posted form says it started from (0 when unreadable)."""
    try:
        return int(form.base_version.data or 0)
    except ValueError:
        return 0


def read_base(token: str | None, proposal: Proposal, version: int) -> Base | None:
    """The content of `version` that this token signs, or None."""
    if not token or len(token) > BASE_TOKEN_MAX_CHARS:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != proposal.id or data.get("v") != version:
        return None
    if not isinstance(data.get("c"), dict) or not isinstance(data.get("r"), int):
        return None
    return Base(version=version, revision=data["r"], content=data["c"])


def merge_stale(proposal: Proposal, content: dict[str, Any], base: Base | None) -> Merge | None:
    """`content`, typed from `base`, merged with what is saved now; None without a base."""
    if base is None:
        return None
    return merge_content(base.content, normalise(content), proposal.content)


def save_merging(
    *, proposal: Proposal, content: dict[str, Any], base_version: int, base: str | None, author: User
) -> tuple[bool, Merged | None]:
    """Save the draft, merging a stale save; (saved, what was merged or None)."""
    try:
        return save_draft(proposal=proposal, content=content, base_version=base_version, author=author), None
    except StaleVersion:
        pass
    known = read_base(base, proposal, base_version)
    merge = merge_stale(proposal, content, known)
    if merge is None or not merge.clean:
        raise MergeRefused(proposal, base_version, merge)
    if not merge.theirs:
        # The version moved on without the content changing (an extension granted, say).
        return save_draft(
            proposal=proposal, content=content, base_version=proposal.version, author=author
        ), None
    other = proposal.last_saved_by
    theirs = proposal.revisions[-1].number
    saved = save_draft(
        proposal=proposal,
        content=merge.content,
        base_version=proposal.version,
        author=author,
        merged_with=theirs,
    )
    if saved:
        record(
            "proposal.merged",
            actor=author,
            obj=proposal,
            revision=proposal.revisions[-1].number,
            base_revision=known.revision,
            merged_with=theirs,
            other=other,
            fields=merge.theirs,
        )
    return saved, Merged(other=other, fields=merge.theirs, author=author)


def screen_fields(content: dict[str, Any], paths: list[str]) -> dict[str, Any]:
    """The inputs of the fields at `paths` (content paths) for `content`: `fields` by input name,
    and the student tables row by row (`students`), for the autosave script to put on screen.
    Only those: the fields of the person saving stay as typed, spaces included."""
    if content.get("co_supervisor") is None:
        # An empty block on screen: each of its inputs blank.
        content = {**content, "co_supervisor": empty_person(with_address=False)}
    names = [FLAT_FIELDS.get(path, path).replace(".", "-") for path in paths]
    fields: dict[str, Any] = {}
    students: dict[str, list[dict[str, str]]] = {}

    def walk(value: Any, name: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{name}-{key}" if name else key)
        elif name.endswith("-students"):
            if name in names:
                rows = [{key: str(item) for key, item in row.items()} for row in value]
                students[name.removesuffix("-students")] = rows
        elif isinstance(value, list):
            for index, row in enumerate(value):
                walk(row, f"{name}-{index}")
        elif any(name == wanted or name.startswith(f"{wanted}-") for wanted in names):
            fields[name] = value if isinstance(value, bool) else "" if value is None else str(value)

    walk(form_data(content), "")
    return {"fields": fields, "students": students}
