"""The page measure at the 3-page boundary, and the layout cache."""

import pytest

from portal.documents import measure_description
from portal.documents.layout import PageMeasure, clear_layout_cache, description_document

LINE = "Line {n} of a description that takes exactly one printed line."


def text(lines: int) -> str:
    return "\n\n".join(LINE.format(n=n) for n in range(lines))


def measure(lines: int) -> PageMeasure:
    return measure_description(text(lines), figures={})


@pytest.fixture(scope="module")
def last_three_page_count() -> int:
    """The most one-line paragraphs that still fit in three pages, by bisection."""
    low, high = 1, 400
    assert measure(low).page_count <= 3 < measure(high).page_count
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if measure(middle).page_count <= 3 else (low, middle)
    return low


def test_about_2_9_pages_fits(last_three_page_count):
    lines = last_three_page_count
    while measure(lines).pages > 2.9:
        lines -= 1
    result = measure(lines)
    assert result.page_count == 3 and 2.8 < result.pages <= 2.9
    assert result.fits(3) and not result.fits(2)


def test_exactly_3_pages_fits(last_three_page_count):
    result = measure(last_three_page_count)
    assert result.page_count == 3
    assert result.last_page_fill > 0.95
    assert result.fits(3)
    assert result.display == "3.0"


def test_about_3_1_pages_does_not_fit(last_three_page_count):
    just_over = measure(last_three_page_count + 1)
    assert just_over.page_count == 4 and not just_over.fits(3)
    # Rounded up for display: a fourth page, however short, never shows as "3.0".
    assert just_over.display == "3.1"
    result = measure(last_three_page_count + 5)
    assert result.page_count == 4 and 3.05 < result.pages < 3.2
    assert not result.fits(3) and result.fits(4)


def test_measure_display_rounds_up():
    assert PageMeasure(pages=2.31, page_count=3, last_page_fill=0.31).display == "2.4"
    assert PageMeasure(pages=3.0, page_count=3, last_page_fill=1.0).display == "3.0"
    assert PageMeasure(pages=0.0, page_count=1, last_page_fill=0.0).display == "0.0"


def test_layout_is_reused_for_the_same_text_and_figures(png_figure):
    clear_layout_cache()
    first = description_document("Same text.", figures={})
    assert description_document("Same text.", figures={}) is first
    assert description_document("Same text!", figures={}) is not first
    assert description_document("Same text.", figures={"plot.png": png_figure}) is not first
    assert description_document("Same text.", figures={}, language="fr") is not first
