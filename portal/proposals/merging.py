"""Three-way merges of two saves of one draft against the version both started from.

A field changed on one side only takes that side's value. A field changed on both sides merges
when it is a sequence whose edits touch different items: the description by paragraph, the
keywords by keyword, the student and "not to review" tables by row. Anything else changed on both
sides is a conflict, for the person saving to settle on the side-by-side page.

Why not the `merge3` package: it treats edits of two adjacent items as one conflict, and two
people rewriting neighbouring paragraphs is the usual case here. The hunks below overlap only when
they touch the same item, or insert at the same place.

Every merge is checked afterwards, by `keeps_both`, independently of how it was made: going from
one side to the result must apply exactly the other side's edits. A merge that fails the check is
not used.
"""

import difflib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from portal.proposals.content import empty_person, normalise

# Paragraphs are separated by blank lines; each keeps the blank lines after it, so that joining
# the paragraphs gives back the exact text (a code block's blank lines included).
_PARAGRAPH_END = re.compile(r"(\n(?:[ \t]*\n)+)")

Hunk = tuple[int, int, tuple]


def paragraphs(text: str) -> list[str]:
    parts = _PARAGRAPH_END.split(text)
    chunks = ["".join(parts[index : index + 2]) for index in range(0, len(parts), 2)]
    return [chunk for chunk in chunks if chunk]


def _hunks(base: Sequence, side: Sequence) -> list[Hunk]:
    """The edits from `base` to `side`: base[start:end] becomes the items."""
    matcher = difflib.SequenceMatcher(None, base, side, autojunk=False)
    return [(i1, i2, tuple(side[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _overlap(one: Hunk, other: Hunk) -> bool:
    """Both touch the same base item, or both insert at the same place."""
    (start, end, _), (other_start, other_end, _) = one, other
    if start == end and other_start == other_end:
        return start == other_start
    if start == end:
        return other_start < start < other_end
    if other_start == other_end:
        return start < other_start < end
    return start < other_end and other_start < end


def merge_sequences(base: Sequence, ours: Sequence, theirs: Sequence) -> list | None:
    """The two sides' edits applied together, or None when they touch the same items."""
    mine, others = _hunks(base, ours), _hunks(base, theirs)
    for one in mine:
        if any(one != other and _overlap(one, other) for other in others):
            return None
    merged: list = []
    position = 0
    # An identical edit made on both sides is applied once; insertions come before a replacement
    # starting at the same place.
    for start, end, items in sorted(set(mine) | set(others), key=lambda hunk: (hunk[0], hunk[1])):
        merged += base[position:start]
        merged += items
        position = end
    return merged + list(base[position:])


def merge_text(base: str, ours: str, theirs: str) -> str | None:
    """The description merged by paragraph, or None when both edited the same paragraph."""
    merged = merge_sequences(paragraphs(base), paragraphs(ours), paragraphs(theirs))
    return None if merged is None else "".join(merged)


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def _merge_list(base: list, ours: list, theirs: list) -> list | None:
    """Lists of rows (or keywords) merged row by row, rows compared whole."""
    merged = merge_sequences([_key(x) for x in base], [_key(x) for x in ours], [_key(x) for x in theirs])
    return None if merged is None else [json.loads(item) for item in merged]


@dataclass
class Merge:
    """The merged content; where both sides changed the same field, it holds ours."""

    content: dict[str, Any]
    # The fields (content paths) where the other side's changes were taken in.
    theirs: list[str] = field(default_factory=list)
    # The fields both sides changed in ways that do not merge.
    conflicts: list[str] = field(default_factory=list)
    # True once `keeps_both` found both sides' changes in the result.
    verified: bool = False

    @property
    def clean(self) -> bool:
        return self.verified and not self.conflicts


def _expanded(content: dict[str, Any]) -> dict[str, Any]:
    """The content with its optional parts present, so that the three sides have the same keys."""
    content = normalise(content)
    if content["co_supervisor"] is None:
        content["co_supervisor"] = empty_person(with_address=False)
    content.setdefault("excluded_reviewers", [])
    return content


def _merge_value(path: str, base: Any, ours: Any, theirs: Any, result: Merge) -> Any:
    if ours == theirs or theirs == base:
        return ours
    if isinstance(base, dict) and isinstance(ours, dict) and isinstance(theirs, dict):
        # Down to each field, so that the message names what the other side changed.
        return {
            key: _merge_value(f"{path}.{key}" if path else key, base.get(key), ours[key], theirs[key], result)
            for key in ours
        }
    if ours == base:
        result.theirs.append(path)
        return theirs
    merged = None
    if path == "description":
        merged = merge_text(base, ours, theirs)
    elif isinstance(base, list) and isinstance(ours, list) and isinstance(theirs, list):
        merged = _merge_list(base, ours, theirs)
    if merged is None:
        result.conflicts.append(path)
        return ours
    result.theirs.append(path)
    return merged


def merge_content(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> Merge:
    """`ours` (the stale save) and `theirs` (what is saved now) merged against `base`."""
    base, ours, theirs = _expanded(base), _expanded(ours), _expanded(theirs)
    result = Merge(content={})
    merged = _merge_value("", base, ours, theirs, result)
    result.verified = keeps_both(base, ours, theirs, merged, unsettled=result.conflicts)
    if merged["co_supervisor"] == empty_person(with_address=False):
        merged["co_supervisor"] = None
    result.content = normalise(merged)
    return result


def _units(content: dict[str, Any]) -> dict[str, Any]:
    """The content as the merge sees it: each field, lists as tuples of rows, the description as
    a tuple of paragraphs."""
    units: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            units[path] = tuple(_key(item) for item in value)
        elif path == "description":
            units[path] = tuple(paragraphs(value))
        else:
            units[path] = value

    walk(_expanded(content), "")
    return units


def _edits(before: Sequence, after: Sequence) -> Counter:
    return Counter((tuple(before[i1:i2]), items) for i1, i2, items in _hunks(before, after))


def keeps_both(
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    merged: dict[str, Any],
    *,
    unsettled: Sequence[str] = (),
) -> bool:
    """True when `merged` holds every change of each side, and nothing else, in every field but
    the `unsettled` ones (the conflicts, left to a person)."""
    units = [_units(document) for document in (base, ours, theirs, merged)]
    paths = set().union(*units) - set(unsettled)
    for path in paths:
        b, o, t, m = (unit.get(path) for unit in units)
        if o in (b, t):
            kept = m == t
        elif t == b:
            kept = m == o
        elif isinstance(b, tuple):
            shared = _edits(b, o) & _edits(b, t)
            kept = _edits(o, m) == _edits(b, t) - shared and _edits(t, m) == _edits(b, o) - shared
        else:
            kept = False
        if not kept:
            return False
    return True
