"""Titles of the admin site, and the shared background jobs; each app registers its own models in its
admin.py."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Job

admin.site.site_header = format_lazy("{} · {}", settings.HOSPITAL_NAME, _("administration"))
admin.site.site_title = _("Hospital Ops administration")
admin.site.index_title = _("Records, roles and settings")


@admin.register(Job)
class JobAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "kind", "status", "progress", "owner", "department", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind", "owner", "department", "status", "progress", "message", "result", "error", "created_at",
        "started_at", "finished_at", "cancel_requested_at",
    ]

    def has_add_permission(self, request):
        return False
