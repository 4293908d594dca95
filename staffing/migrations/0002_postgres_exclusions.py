"""Exclusion constraints that only PostgreSQL can hold; on SQLite the services carry these rules."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE staffing_shiftassignment ADD CONSTRAINT assignment_no_overlap
       EXCLUDE USING gist (employee_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)""",
    """ALTER TABLE staffing_schedule ADD CONSTRAINT schedule_periods_do_not_overlap
       EXCLUDE USING gist (department_id WITH =, daterange(start_date, end_date, '[]') WITH &&)""",
]
BACKWARD = [
    "ALTER TABLE staffing_shiftassignment DROP CONSTRAINT IF EXISTS assignment_no_overlap",
    "ALTER TABLE staffing_schedule DROP CONSTRAINT IF EXISTS schedule_periods_do_not_overlap",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("staffing", "0001_initial")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
