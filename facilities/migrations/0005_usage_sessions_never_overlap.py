"""Usage sessions of one asset never overlap: an exclusion constraint only PostgreSQL can hold; on SQLite
the import service carries the rule."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE facilities_usagesession ADD CONSTRAINT usage_session_no_overlap
       EXCLUDE USING gist (asset_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)""",
]
BACKWARD = ["ALTER TABLE facilities_usagesession DROP CONSTRAINT IF EXISTS usage_session_no_overlap"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("facilities", "0004_equipment_and_inspections")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
