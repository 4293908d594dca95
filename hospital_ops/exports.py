"""Spreadsheet downloads (CSV and Excel) built from plain rows, for any list page."""

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import tablib
from django.http import HttpResponse, HttpResponseBadRequest

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TYPED = (bool, int, float, Decimal, date, datetime)  # written as they are: numbers and dates stay typed
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet's name
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is kept as text; numbers and dates stay typed."""
    if type(value) is str:  # the common case first: exports run to hundreds of thousands of cells
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, TYPED):
        return value
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def sheet_title(text: str, suffix: str = "") -> str:
    """A name Excel accepts for a sheet: at most 31 characters, none of []:*?/\\, not starting with '.
    A name too long loses the end of `text`, never `suffix` (" 2026-12-07")."""

    def clean(part: str) -> str:
        return SHEET_TITLE_FORBIDDEN.sub("-", re.sub(r"\s+", " ", str(part)))

    suffix = clean(suffix)[:SHEET_TITLE_MAX] if str(suffix).strip() else ""
    title = (clean(text)[: SHEET_TITLE_MAX - len(suffix)].rstrip() + suffix).strip("'").strip()
    return title or "Sheet1"


def build_dataset(headers: Sequence[str], rows: Iterable[Sequence], title: str = "") -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[str(header) for header in headers], title=title or None)
    for row in rows:
        dataset.append([safe_cell(value) for value in row])
    return dataset


def export_response(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str, *, sheet: str = "",
    sheet_suffix: str = "",
) -> HttpResponse:
    """A download of `rows` as `<filename>.csv` or `<filename>.xlsx`; any other format is a 400.

    The Excel sheet is named after what it holds: `sheet` and `sheet_suffix` ("Roster MED-4W" and
    " 2026-12-07"; the suffix is kept whole when the name is cut to fit), else after the file name.
    """
    if fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest("Unknown export format: use csv or xlsx.", content_type="text/plain")
    title = sheet_title(sheet or filename.replace("-", " ").replace("_", " ").capitalize(), sheet_suffix)
    dataset = build_dataset(headers, rows, title=title)
    body = dataset.export(fmt)
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"  # personnel data stays out of shared caches
    return response


# Streamed downloads: rows are written as they are read, so a list of any length costs the same memory.

STREAM_BATCH = 500  # rows written per chunk sent


class _Echo:
    """A file-like object whose write returns what it was given (csv.writer writes into it)."""

    def write(self, value):
        return value


def _csv_chunks(headers: Sequence[str], rows: Iterable[Sequence]):
    writer = csv.writer(_Echo())
    yield writer.writerow([str(header) for header in headers])
    batch = []
    for row in rows:
        batch.append(writer.writerow([safe_cell(value) for value in row]))
        if len(batch) >= STREAM_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def xlsx_file(title: str, headers: Sequence[str], rows: Iterable[Sequence]):
    """The workbook written row by row (openpyxl's write-only mode) into a temporary file."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        values = []
        for value in row:
            value = safe_cell(value)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            values.append(value)
        sheet.append(values)
    file = tempfile.TemporaryFile()
    workbook.save(file)
    file.seek(0)
    return file


def stream_export(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence], fmt: str, *, sheet: str = "",
    sheet_suffix: str = "",
):
    """`export_response` for long lists: the CSV is streamed as its rows are read; the Excel workbook is
    written row by row to a temporary file and streamed from it. Pass rows from a queryset's
    `.iterator()` so the database rows are not held either."""
    from django.http import FileResponse, StreamingHttpResponse

    if fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest("Unknown export format: use csv or xlsx.", content_type="text/plain")
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_chunks(headers, rows), content_type=CONTENT_TYPES[fmt])
    else:
        title = sheet_title(sheet or filename.replace("-", " ").replace("_", " ").capitalize(), sheet_suffix)
        response = FileResponse(xlsx_file(title, headers, rows), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"  # personnel data stays out of shared caches
    return response
