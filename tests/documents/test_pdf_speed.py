"""What makes the PDF faster without changing it: the measured layout reused, a faster deflate."""

import functools

import pytest

from portal.documents import layout, measure_description, render_proposal_pdf
from portal.documents.layout import clear_layout_cache, description_document, front_document
from portal.documents.mathpdf import add_text_font
from portal.documents.pdf import DEFLATE_LEVEL, PDF_OPTIONS, finish, front_html, write_pdf
from tests.documents.conftest import pdf_text, reader


@pytest.fixture
def joined(content, context):
    """The example's laid-out pages, front and description, ready to write."""
    body = description_document(content["description"], figures={}, language=content.get("language") or "fr")
    front = front_document(front_html(content, context, len(body.pages)))
    return front.copy(front.pages + body.pages)


def test_the_pdf_after_a_page_count_reuses_the_measured_layout_and_is_the_cold_pdf(
    content, context, monkeypatch
):
    clear_layout_cache()
    cold = render_proposal_pdf(content, context=context, figures={})
    clear_layout_cache()
    laid_out = []
    render_html = layout.render_html
    monkeypatch.setattr(
        layout, "render_html", lambda html, **kw: laid_out.append(html) or render_html(html, **kw)
    )
    measure_description(content["description"], figures={}, language=content.get("language") or "fr")
    after = render_proposal_pdf(content, context=context, figures={})
    # The measure laid the description out; the PDF only the front pages.
    assert len(laid_out) == 2 and 'class="description"' in laid_out[0]
    assert after == cold


def _pydyf_level_9(document) -> bytes:
    """The file as pydyf compresses it, with the formulas' text font that `finish` adds first."""
    return document.write_pdf(finisher=lambda _document, pdf: add_text_font(pdf), **PDF_OPTIONS)


def test_deflate_at_level_9_writes_pydyfs_file_byte_for_byte(joined):
    level_9 = joined.write_pdf(finisher=functools.partial(finish, level=9), **PDF_OPTIONS)
    assert level_9 == _pydyf_level_9(joined)


def _streams(pdf: bytes) -> list[bytes]:
    document = reader(pdf)
    objects = (document.get_object(number) for number in range(1, document.trailer["/Size"]))
    # The cross-reference stream holds byte offsets, which move with the compressed sizes.
    return [item.get_data() for item in objects if hasattr(item, "get_data") and item.get("/Type") != "/XRef"]


def test_the_faster_deflate_changes_only_the_compressed_bytes(joined):
    fast, pydyf_level_9 = write_pdf(joined), _pydyf_level_9(joined)
    assert DEFLATE_LEVEL < 9 and fast != pydyf_level_9
    assert len(fast) <= 1.03 * len(pydyf_level_9)
    assert _streams(fast) == _streams(pydyf_level_9)
    assert len(reader(fast).pages) == len(reader(pydyf_level_9).pages) == 5
    assert pdf_text(fast) == pdf_text(pydyf_level_9)
    assert "/StructTreeRoot" in reader(fast).trailer["/Root"]
