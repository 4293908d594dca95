"""Admin for report schedules (editable), runs and downloads (read-mostly records)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReportDownload, ReportRun, ReportSchedule


@admin.register(ReportSchedule)
class ReportScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "frequency", "department", "each_department", "is_active"]
    list_filter = ["kind", "frequency", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["recipients", "recipient_roles"]
    autocomplete_fields = ["department"]


@admin.register(ReportRun)
class ReportRunAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "period", "scope", "status", "progress", "attempts", "finished_at", "size"]
    list_filter = ["kind", "status"]
    search_fields = ["period", "scope"]
    readonly_fields = [
        "kind", "period", "period_start", "period_end", "scope", "department", "schedule", "requested_by",
        "requested_at", "status", "progress", "started_at", "finished_at", "file", "sha256", "size", "pages",
        "error", "attempts",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(ReportDownload)
class ReportDownloadAdmin(admin.ModelAdmin):
    list_display = ["run", "user", "downloaded_at", "ip_address"]
    list_select_related = ["run", "user"]
    readonly_fields = ["run", "user", "downloaded_at", "ip_address", "user_agent", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
