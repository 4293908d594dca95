"""A bed is never lain in by two stays at once, over any stretch of time: an exclusion constraint only
PostgreSQL can hold; on SQLite the services carry this rule."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE facilities_bedoccupancy ADD CONSTRAINT occupancy_bed_no_overlap
       EXCLUDE USING gist (bed_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)""",
]
BACKWARD = ["ALTER TABLE facilities_bedoccupancy DROP CONSTRAINT IF EXISTS occupancy_bed_no_overlap"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("facilities", "0002_beds_stays_and_adt_events")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
