from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hospital_ops.jobs import JobKind, register_kind

        register_kind(JobKind("finance-ledger-import", "Ledger import", app="finance"))  # services.actuals.JOB_KIND
