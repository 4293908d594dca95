from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hospital_ops.jobs import JobKind, register_kind

        from .sections import load_sections

        load_sections()
        register_kind(JobKind("report", "Report", app="reports"))  # services.REPORT_JOB
