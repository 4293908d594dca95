"""Reading the spreadsheets people upload (CSV or XLSX) into rows of text keyed by lower-case header."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_CELL = 200


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()[:MAX_CELL]


def read_rows(upload, *, required: tuple[str, ...], max_rows: int) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX upload as {header: text}; refused whole when it is not a table with the
    required columns, or longer than `max_rows`."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 50 MB.")})
    if name.endswith(".xlsx"):
        rows = _xlsx(upload, max_rows)
    elif name.endswith(".csv"):
        rows = _csv(upload, max_rows)
    else:
        raise ValidationError({"file": _("Upload a .csv or .xlsx file.")})
    if not rows:
        raise ValidationError({"file": _("The file has no rows.")})
    headers = rows[0]
    missing = [column for column in required if column not in headers]
    if missing:
        raise ValidationError({"file": _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}})
    if len(rows) - 1 > max_rows:
        raise ValidationError({"file": _("At most %(n)s rows per file.") % {"n": f"{max_rows:,}"}})
    return [dict(zip(headers, row, strict=False)) for row in rows[1:] if any(row)]


def _csv(upload, max_rows: int) -> list[list[str]]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": _("Save the CSV file as UTF-8.")}) from None
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text))):
            if number > max_rows + 1:
                break
            rows.append([_text(cell) for cell in row])
    except csv.Error as error:
        raise ValidationError({"file": _("The CSV file cannot be read: %(e)s") % {"e": error}}) from None
    if rows:
        rows[0] = [cell.lower() for cell in rows[0]]
    return rows


def _xlsx(upload, max_rows: int) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # a broken or disguised file: openpyxl raises many kinds
        raise ValidationError({"file": _("The Excel file cannot be read.")}) from None
    sheet = book.worksheets[0]
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True)):
        if number > max_rows + 1:
            break
        rows.append([_text(cell) for cell in row])
    book.close()
    if rows:
        rows[0] = [cell.lower() for cell in rows[0]]
    return rows
