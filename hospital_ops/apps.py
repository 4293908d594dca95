from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _watch_data_changes(sender, using, **kwargs):
    from django.db import connections

    from . import data_version

    data_version.install(connections[using])


class HospitalOpsConfig(AppConfig):
    name = "hospital_ops"
    verbose_name = "Hospital Ops"

    def ready(self):
        from . import history  # noqa: F401  (connects the change-reason guard)

        # After every migrate (all apps' tables exist by then): the triggers behind hospital_ops.data_version.
        post_migrate.connect(_watch_data_changes, sender=self, dispatch_uid="hospital_ops.data_version")
