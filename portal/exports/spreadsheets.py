"""The table as CSV (UTF-8 with BOM, safe from formula injection) and as XLSX (typed cells)."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import datetime

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from portal.exports.table import Value

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CELL_LIMIT = 32_767
DATE_FORMAT = "yyyy-mm-dd hh:mm"


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, int | float):
        return str(value)
    return neutralise(str(value))


def csv_chunks(header: list[tuple[str, int]], rows: Iterable[list[Value]]) -> Iterator[str]:
    """The CSV, a line at a time, the BOM first so that Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list[str]) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line([neutralise(title) for title, _ in header])
    for row in rows:
        yield line([csv_cell(value) for value in row])


def _xlsx_cell(sheet, value: Value, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)[:XLSX_CELL_LIMIT]
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl would store text starting with "=" as a formula: text stays text.
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_bytes(header: list[tuple[str, int]], rows: Iterable[list[Value]], *, title: str) -> bytes:
    """The workbook: one sheet, a frozen bold header row, column widths, typed cells."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    for index, (_title, width) in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.append([_xlsx_cell(sheet, text, bold=True) for text, _width in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
