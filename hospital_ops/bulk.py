"""Loading many rows at once: PostgreSQL's COPY (several times faster than multi-row INSERTs for hundreds of
thousands of rows, because no model instance is built and no SQL is parsed per row), plain executemany
batches on SQLite.

Rows bypass `Model.save()`, signals and history. Use it where those add nothing: demo data, and imports whose
rows a service has already validated (the database's own constraints still hold, and raise IntegrityError).
Columns left out take what Django's own insert would give them (the field's default, else NULL or an empty
string); a column that can have none of these is an error before anything is written.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

BATCH_ROWS = 20_000  # rows per COPY or executemany call: bounded memory for any size


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for rows about to be inserted with explicit ids (so related rows can point at
    them without reading them back). On SQLite the caller's write transaction keeps them free."""
    if count <= 0:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, column, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def _fields(model: type[models.Model], names: Sequence[str]) -> tuple[list[models.Field], list[tuple[str, object]]]:
    """The fields named (by name or attname) and, for the other concrete columns, their default values."""
    by_name: dict[str, models.Field] = {}
    for field in model._meta.concrete_fields:
        by_name[field.name] = by_name[field.attname] = field
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ValueError(f"{model.__name__} has no field {', '.join(unknown)}")
    given = [by_name[name] for name in names]
    rest: list[tuple[str, object]] = []
    for field in model._meta.concrete_fields:
        if field in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.has_default() or field.null or field.empty_strings_allowed:
            value = field.get_default()  # as Django's own insert would: the default, else NULL or ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} has no default: give it a value")
        rest.append((field.column, value))
    return given, rest


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = json.dumps(value) if isinstance(value, dict | list) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _sqlite_value(value):
    ops = connection.ops
    if isinstance(value, dt.datetime):
        return ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return ops.adapt_timefield_value(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value)
    return value


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert `rows` (tuples of Python values in the order of `names`: field names or attnames, with foreign
    keys as ids) into `model`'s table; the number inserted."""
    given, rest = _fields(model, names)
    columns = [field.column for field in given] + [column for column, _ in rest]
    tail = tuple(value for _, value in rest)
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    total = 0
    batch: list[Sequence] = []

    def flush() -> None:
        nonlocal total
        if not batch:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                for row in batch:
                    buffer.write("\t".join(_copy_text(value) for value in (*row, *tail)))
                    buffer.write("\n")
                buffer.seek(0)
                cursor.copy_expert(f"COPY {table} ({quoted}) FROM STDIN", buffer)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})",
                                   [[_sqlite_value(value) for value in (*row, *tail)] for row in batch])
        total += len(batch)
        batch.clear()

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH_ROWS:
            flush()
    flush()
    return total

