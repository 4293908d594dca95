from django.apps import AppConfig


class HospitalOpsConfig(AppConfig):
    name = "hospital_ops"
    verbose_name = "Hospital Ops"

    def ready(self):
        from . import history  # noqa: F401  (connects the change-reason guard)
