from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "staffing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from hospital_ops.jobs import JobKind, register_kind

        register_kind(JobKind("roster-generation", "Roster generation", app="staffing", cancellable=True))
