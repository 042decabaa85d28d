"""The form's label and value rows: set by tab stops, they must look as the tables they replace."""

import pytest

from portal.documents.layout import render_html
from portal.documents.pdf import front_html

# A table's label column was its longest label (bold, no wrap) plus 0.8em of padding.
LABEL_GAP_PX = 0.8 * 11 * 4 / 3
# The stops are whole CSS pixels (WeasyPrint truncates a tab-size length to them).
TOLERANCE_PX = 0.5


def boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from boxes(child)


def text_of(box) -> str:
    return "".join(getattr(child, "text", "") for child in boxes(box))


def field_rows(document):
    """(block classes, row paragraph box, label box, first value text box) for every row."""
    rows = []
    for page in document.pages:
        for block in boxes(page._page_box):
            classes = block.element.get("class") if block.element is not None else None
            if block.element_tag != "div" or "fields" not in (classes or "").split():
                continue
            for paragraph in block.children:
                line = paragraph.children[0]
                label, value = line.children[0], line.children[1]
                assert paragraph.element_tag == "p" and label.element_tag == "b"
                rows.append((classes, paragraph, label, value))
    return rows


@pytest.fixture
def front(content, context):
    content["cotutelle"] = {"answer": True, "partner": "Universität Heidelberg", "country": "Allemagne"}
    content["director"]["address"] = (
        "Laboratoire d'Informatique de Paris 6, Sorbonne Université, 4 place Jussieu, Tour 26, "
        "couloir 26-00, 5ème étage, bureau 512, 75005 Paris"
    )
    return render_html(front_html(content, context, 3), figures={})


def label_widths(labels: list[str]) -> dict[str, float]:
    """Each label's width, bold, as a table cell that does not wrap would take it."""
    html = "".join(f'<p><b style="display: inline-block">{label}</b></p>' for label in labels)
    document = render_html(f'<html lang="fr"><body class="form">{html}</body></html>', figures={})
    widths = {}
    for box in boxes(document.pages[0]._page_box):
        if box.element_tag == "b":
            widths[text_of(box)] = box.width
    return widths


def test_every_value_starts_on_its_blocks_column(front):
    rows = field_rows(front)
    # Director (with an address), co-supervisor, cotutelle: 8 + 7 + 2 rows.
    assert [classes for classes, *_ in rows] == ["fields wide"] * 8 + ["fields"] * 7 + ["fields partner"] * 2
    for _, paragraph, label, value in rows:
        # A label longer than its stop would push the value to the next stop, twice as far.
        assert value.position_x == pytest.approx(paragraph.content_box_x(), abs=0.01), text_of(label)
    # A long value wraps under the value column, not under the label.
    address = next(paragraph for _, paragraph, label, _ in rows if "Adresse" in text_of(label))
    assert len(address.children) == 2
    assert address.children[1].position_x == pytest.approx(address.content_box_x(), abs=0.01)


def test_each_blocks_column_is_where_a_table_would_put_it(front):
    rows = field_rows(front)
    labels = {text_of(label).rstrip("\t") for _, _, label, _ in rows}
    widths = label_widths(sorted(labels))
    assert set(widths) == labels
    for classes in ("fields wide", "fields", "fields partner"):
        block = [(row[1], text_of(row[2]).rstrip("\t")) for row in rows if row[0] == classes]
        stop = block[0][0].padding_left
        table_column = max(widths[label] for _, label in block) + LABEL_GAP_PX
        assert stop == pytest.approx(table_column, abs=TOLERANCE_PX), classes
