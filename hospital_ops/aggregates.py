"""Aggregates the ORM lacks on both databases the suite runs on (SQLite in development, PostgreSQL)."""

from django.db.models import Aggregate, TextField, Value


def joined_text_function(vendor: str) -> str:
    """The SQL aggregate that joins a group's texts with a separator on this database: STRING_AGG on
    PostgreSQL, GROUP_CONCAT on SQLite (for raw SQL that cannot use JoinedText)."""
    return "STRING_AGG" if vendor == "postgresql" else "GROUP_CONCAT"


class JoinedText(Aggregate):
    """A group's texts joined by `separator` (order not guaranteed): STRING_AGG on PostgreSQL, GROUP_CONCAT on
    SQLite. For folding a few related ids into their parent row's query instead of a query of their own."""

    function = joined_text_function("postgresql")
    output_field = TextField()

    def __init__(self, expression, separator: str, **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function=joined_text_function(connection.vendor),
                              **extra_context)


def split_ids(text: str | None, separator: str = ",") -> set[int]:
    """The ids a JoinedText of ids holds (none for NULL: the group was empty)."""
    return {int(part) for part in text.split(separator)} if text else set()
