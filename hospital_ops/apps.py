from django.apps import AppConfig


class HospitalOpsConfig(AppConfig):
    name = "hospital_ops"
    verbose_name = "Hospital Ops"
