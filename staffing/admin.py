from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    CalendarFeed,
    HppdTarget,
    LabourRules,
    PublishedShift,
    Schedule,
    ShiftAssignment,
    ShiftPreference,
    ShiftType,
    ShiftTypeLimit,
    StaffingRatio,
    StaffingRequirement,
    TimeOff,
)


@admin.register(ShiftType)
class ShiftTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "department", "start_time", "duration_minutes", "is_night", "is_active"]
    list_filter = ["is_night", "is_active", "department"]
    list_select_related = ["department"]
    search_fields = ["code", "name", "department__code"]
    autocomplete_fields = ["department", "required_skill", "required_credential"]
    filter_horizontal = ["forbidden_successors"]


@admin.register(StaffingRequirement)
class StaffingRequirementAdmin(SimpleHistoryAdmin):
    list_display = ["department", "shift_type", "weekday", "on_date", "skill", "required_count"]
    list_filter = ["weekday", "department"]
    list_select_related = ["department", "shift_type", "skill"]
    raw_id_fields = ["department", "shift_type", "skill"]


class ShiftTypeLimitInline(admin.TabularInline):
    model = ShiftTypeLimit
    extra = 0
    raw_id_fields = ["shift_type"]


@admin.register(LabourRules)
class LabourRulesAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "scope", "min_rest_hours", "max_weekly_minutes", "max_consecutive_days"]
    list_filter = ["scope"]
    list_select_related = ["department", "employee"]
    raw_id_fields = ["department", "employee"]
    inlines = [ShiftTypeLimitInline]


@admin.register(Schedule)
class ScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["department", "start_date", "end_date", "status", "revision", "submitted_by", "decided_by"]
    list_filter = ["status", "department"]
    list_select_related = ["department", "submitted_by", "decided_by"]
    date_hierarchy = "start_date"
    raw_id_fields = ["department", "created_by", "submitted_by", "decided_by"]
    readonly_fields = ["status", "revision", "submitted_by", "submitted_at", "decided_by", "decided_at", "published_at"]


@admin.register(ShiftAssignment)
class ShiftAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["date", "employee", "shift_type", "schedule", "starts_at", "ends_at"]
    list_select_related = ["employee", "shift_type", "schedule__department"]
    date_hierarchy = "date"
    raw_id_fields = ["schedule", "employee", "shift_type"]
    search_fields = ["employee__last_name", "employee__employee_number"]


@admin.register(TimeOff)
class TimeOffAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "kind", "start_date", "end_date", "status", "decided_by"]
    list_filter = ["status", "kind"]
    list_select_related = ["employee", "decided_by"]
    raw_id_fields = ["employee", "requested_by", "decided_by"]
    search_fields = ["employee__last_name", "employee__employee_number"]


@admin.register(ShiftPreference)
class ShiftPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "date", "shift_type", "kind", "priority"]
    list_select_related = ["employee", "shift_type"]
    raw_id_fields = ["employee", "shift_type"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(SimpleHistoryAdmin):
    list_display = ["employee", "created_at"]
    list_select_related = ["employee"]
    raw_id_fields = ["employee"]
    exclude = ["token"]


@admin.register(ShiftTypeLimit)
class ShiftTypeLimitAdmin(SimpleHistoryAdmin):
    list_display = ["rules", "shift_type", "max_shifts"]
    list_select_related = ["rules__department", "rules__employee", "shift_type"]
    raw_id_fields = ["rules", "shift_type"]


@admin.register(PublishedShift)
class PublishedShiftAdmin(admin.ModelAdmin):
    """What staff see; rewritten by publishing a roster, so read only here."""

    list_display = ["date", "employee", "shift_type", "schedule", "starts_at", "ends_at"]
    list_select_related = ["employee", "shift_type", "schedule__department"]
    date_hierarchy = "date"
    search_fields = ["employee__last_name", "employee__employee_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The auto-scheduler, open shifts and swaps: read in the admin, changed through their services.
from .models import CellLock, Generation, GeneratorSettings, OpenShift, SwapRequest  # noqa: E402

for _model in (CellLock, Generation, GeneratorSettings, OpenShift, SwapRequest):
    admin.site.register(_model, SimpleHistoryAdmin)


@admin.register(StaffingRatio)
class StaffingRatioAdmin(SimpleHistoryAdmin):
    list_display = ["department", "shift_type", "skill", "basis", "patients_per_person", "hours_per_patient_day",
                    "share_percent", "minimum", "effective_from", "effective_until"]
    list_filter = ["basis", "department"]
    list_select_related = ["department", "shift_type", "skill"]
    raw_id_fields = ["department", "shift_type", "skill"]


@admin.register(HppdTarget)
class HppdTargetAdmin(SimpleHistoryAdmin):
    list_display = ["department", "effective_from", "hours_per_patient_day"]
    list_select_related = ["department"]
    raw_id_fields = ["department"]
