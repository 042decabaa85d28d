"""The three-way merge of two saves: fields, paragraphs of the description, rows of the tables."""

from copy import deepcopy

import pytest

from portal.proposals.content import normalise
from portal.proposals.merging import keeps_both, merge_content, merge_sequences, merge_text, paragraphs

INTRO = "## Context\n\nDeep networks memorise their data."
METHOD = "We measure memorisation\nwith influence functions."
CODE = "```\nfor x in data:\n\n    fit(x)\n```"
PROFILE = "The student has a master's in machine learning."
BASE_TEXT = "\n\n".join([INTRO, METHOD, CODE, PROFILE]) + "\n"


def base_content() -> dict:
    return normalise(
        {
            "title": "Memorization in deep networks",
            "keywords": ["deep learning", "generalization"],
            "director": {
                "last_name": "Lamprier",
                "unit": {"acronym": "LIP6", "code": "UMR7606"},
                "students": [
                    {"name": "Ada Martin", "start": "2022-09", "funding": "ANR", "share": 50},
                    {"name": "Léo Petit", "start": "2023-10", "funding": "CIFRE", "share": 30},
                ],
            },
            "description": BASE_TEXT,
        }
    )


def changed(content: dict, **paths) -> dict:
    """A copy of `content` with each path (director__unit__code) set."""
    content = deepcopy(content)
    for path, value in paths.items():
        *parents, key = path.split("__")
        node = content
        for part in parents:
            node = node[part]
        node[key] = value
    return content


def test_paragraphs_join_back_to_the_exact_text():
    assert "".join(paragraphs(BASE_TEXT)) == BASE_TEXT
    assert paragraphs("one\n\n\n  two\n") == ["one\n\n\n", "  two\n"]
    assert paragraphs("") == []


def test_different_fields_are_merged_and_the_other_sides_fields_named():
    base = base_content()
    ours = changed(base, title="Memorization and generalization")
    theirs = changed(base, keywords=["deep learning", "memorization"], director__unit__code="UMR 7606")
    merge = merge_content(base, ours, theirs)
    assert merge.clean
    assert merge.content["title"] == "Memorization and generalization"
    assert merge.content["keywords"] == ["deep learning", "memorization"]
    assert merge.content["director"]["unit"]["code"] == "UMR 7606"
    assert sorted(merge.theirs) == ["director.unit.code", "keywords"]


def test_the_same_field_changed_on_both_sides_is_a_conflict_that_keeps_ours():
    base = base_content()
    merge = merge_content(base, changed(base, title="Ours"), changed(base, title="Theirs"))
    assert not merge.clean and merge.conflicts == ["title"]
    assert merge.content["title"] == "Ours"


def test_the_same_change_on_both_sides_is_no_conflict():
    base = base_content()
    merge = merge_content(base, changed(base, title="Both"), changed(base, title="Both"))
    assert merge.clean and merge.theirs == [] and merge.content["title"] == "Both"


def text_merge(ours: list[str], theirs: list[str]) -> str | None:
    return merge_text(BASE_TEXT, "\n\n".join(ours) + "\n", "\n\n".join(theirs) + "\n")


def test_edits_of_different_paragraphs_merge_even_when_neighbours():
    merged = text_merge(
        [INTRO + " Yet they generalise.", METHOD, CODE, PROFILE],
        [INTRO, METHOD.replace("influence", "leave-one-out"), CODE, PROFILE],
    )
    assert (
        merged
        == "\n\n".join(
            [INTRO + " Yet they generalise.", METHOD.replace("influence", "leave-one-out"), CODE, PROFILE]
        )
        + "\n"
    )


def test_an_edit_of_the_same_paragraph_does_not_merge():
    assert text_merge([INTRO + " A.", METHOD, CODE, PROFILE], [INTRO + " B.", METHOD, CODE, PROFILE]) is None


def test_added_and_removed_paragraphs():
    # One adds a paragraph after the method, the other removes the profile: both kept.
    merged = text_merge([INTRO, METHOD, "A new paragraph.", CODE, PROFILE], [INTRO, METHOD, CODE])
    assert merged == "\n\n".join([INTRO, METHOD, "A new paragraph.", CODE]) + "\n"
    # Both add a paragraph at the same place: which comes first is a question for a person.
    assert (
        text_merge([INTRO, "Mine.", METHOD, CODE, PROFILE], [INTRO, "Theirs.", METHOD, CODE, PROFILE]) is None
    )
    # One removes a paragraph the other edited.
    assert text_merge([INTRO, CODE, PROFILE], [INTRO, METHOD + " Edited.", CODE, PROFILE]) is None


def test_a_code_block_with_blank_lines_comes_back_exactly():
    merged = text_merge(
        [INTRO + " Ours.", METHOD, CODE, PROFILE], [INTRO, METHOD, CODE, PROFILE + " Theirs."]
    )
    assert CODE in merged and merged.endswith(PROFILE + " Theirs.\n")


def test_the_description_merge_is_named_and_checked():
    base = base_content()
    ours = changed(base, description=BASE_TEXT.replace("memorise their", "memorise all their"))
    theirs = changed(base, description=BASE_TEXT.replace("master's", "master's degree"))
    merge = merge_content(base, ours, theirs)
    assert merge.clean and merge.theirs == ["description"]
    assert "memorise all their" in merge.content["description"]
    assert "master's degree" in merge.content["description"]


@pytest.mark.parametrize(
    ("ours_rows", "theirs_rows", "expected"),
    [
        # A row added by one, another row edited by the other.
        ([0, 1, "new"], [0, "1*"], [0, "1*", "new"]),
        # Rows edited on each side.
        (["0*", 1], [0, "1*"], ["0*", "1*"]),
        # A row removed by one, the other row edited by the other.
        ([1], ["0", "1*"], ["1*"]),
        # The same row edited on both sides (another field of it each): one conflict.
        (["0*", 1], ["0**", 1], None),
    ],
)
def test_student_rows_merge_row_by_row(ours_rows, theirs_rows, expected):
    base = base_content()
    rows = base["director"]["students"]
    new_row = {"name": "Zoé Roux", "start": "2024-09", "funding": "bourse", "share": 20}

    def build(spec):
        result = []
        for item in spec:
            if item == "new":
                result.append(new_row)
                continue
            row = dict(rows[int(str(item)[0])])
            if str(item).endswith("**"):
                row["funding"] = "changed"
            elif str(item).endswith("*"):
                row["share"] = 10
            result.append(row)
        return result

    merge = merge_content(
        base,
        changed(base, director__students=build(ours_rows)),
        changed(base, director__students=build(theirs_rows)),
    )
    if expected is None:
        assert merge.conflicts == ["director.students"]
        assert merge.content["director"]["students"] == build(ours_rows)
    else:
        assert merge.clean and merge.theirs == ["director.students"]
        assert merge.content["director"]["students"] == build(expected)


def test_keywords_merge_one_by_one():
    base = base_content()
    merge = merge_content(
        base,
        changed(base, keywords=["deep learning", "generalization", "memorization"]),
        changed(base, keywords=["machine learning", "generalization"]),
    )
    assert merge.clean
    assert merge.content["keywords"] == ["machine learning", "generalization", "memorization"]


def test_a_co_supervisor_typed_by_both_sides_merges_by_field():
    base = base_content()
    ours = changed(base, co_supervisor={"email": "marie.curie@example.org"})
    theirs = changed(base, co_supervisor={"last_name": "Curie", "first_name": "Marie"})
    merge = merge_content(base, normalise(ours), normalise(theirs))
    assert merge.clean
    person = merge.content["co_supervisor"]
    assert (person["email"], person["last_name"], person["first_name"]) == (
        "marie.curie@example.org",
        "Curie",
        "Marie",
    )
    # Removed on one side while the other changed it: a conflict.
    removed = merge_content(
        normalise(theirs), base, changed(theirs, co_supervisor__last_name="Skłodowska-Curie")
    )
    assert not removed.clean


def test_merge_sequences_applies_both_and_refuses_overlaps():
    assert merge_sequences("abcd", "aXcd", "abcY") == list("aXcY")
    assert merge_sequences("abc", "Xabc", "abcY") == list("XabcY")
    assert merge_sequences("abc", "aXc", "aYc") is None
    # An insertion inside a range the other replaced.
    assert merge_sequences("abcd", "abXcd", "aYd") is None


def test_keeps_both_refuses_a_result_that_drops_a_change():
    base = base_content()
    ours = changed(base, title="Ours")
    theirs = changed(base, keywords=["memorization"])
    assert keeps_both(base, ours, theirs, changed(ours, keywords=["memorization"]))
    assert not keeps_both(base, ours, theirs, ours)
    assert not keeps_both(base, ours, theirs, theirs)
    ours_text = changed(base, description=BASE_TEXT.replace("memorise", "learn"))
    theirs_text = changed(base, description=BASE_TEXT.replace("master's", "MSc"))
    only_ours = changed(base, description=BASE_TEXT.replace("memorise", "learn"))
    assert not keeps_both(base, ours_text, theirs_text, only_ours)
