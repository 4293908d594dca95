"""An exclusion constraint only PostgreSQL can hold; on SQLite the services carry this rule."""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE finance_chargerate ADD CONSTRAINT charge_rate_periods_do_not_overlap
       EXCLUDE USING gist (code_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)""",
]
BACKWARD = ["ALTER TABLE finance_chargerate DROP CONSTRAINT IF EXISTS charge_rate_periods_do_not_overlap"]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_fiscal_setup_budgets_actuals_expenditure_rates")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
