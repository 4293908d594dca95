from django.contrib import admin
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from .models import Building, Floor, Room


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Floor)
class FloorAdmin(SimpleHistoryAdmin):
    list_display = ["building", "level", "name"]
    list_filter = ["building"]


@admin.register(Room)
class RoomAdmin(SimpleHistoryAdmin):
    list_display = ["number", "name", "floor", "department", "kind", "is_active"]
    list_filter = ["kind", "floor__building", "is_active"]
    search_fields = ["number", "name", "department__code"]
    list_select_related = ["floor__building", "department"]


# Beds and patient flow ----------------------------------------------------------------------------

from . import bed_services  # noqa: E402
from .models import AdtEvent, Bed, BedCount, BedOccupancy, CleaningTask, PatientStay, StayAccess  # noqa: E402


@admin.register(Bed)
class BedAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "unit", "kind", "status", "is_staffed", "is_active"]
    list_filter = ["kind", "status", "is_staffed", "is_active"]
    search_fields = ["label", "room__number", "unit__code"]
    list_select_related = ["room", "unit"]
    readonly_fields = ["status", "status_changed_at", "status_changed_by", "status_reason", "blocked_until"]

    def save_model(self, request, obj, form, change):
        """A bed added, moved, closed or reopened here counts in its unit's bed count as through the pages."""
        units = sorted({obj.unit_id, *([form.initial.get("unit")] if change else [])} - {None})
        with transaction.atomic():
            bed_services.keep_counts_before(unit_ids=units)
            super().save_model(request, obj, form, change)
            bed_services.record_bed_counts(unit_ids=units)


@admin.register(BedCount)
class BedCountAdmin(admin.ModelAdmin):
    """Written by the bed services when beds change; read here."""

    list_display = ["unit", "effective_from", "staffed_beds", "licensed_beds", "recorded_at"]
    list_filter = ["unit"]
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PatientStay)
class PatientStayAdmin(SimpleHistoryAdmin):
    """Stays change only through ADT events and the bed board; the admin reads them."""

    list_display = ["encounter_number", "unit", "bed", "status", "admitted_at", "discharged_at"]
    list_filter = ["status"]
    search_fields = ["encounter_number"]
    list_select_related = ["unit", "bed__room"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BedOccupancy)
class BedOccupancyAdmin(admin.ModelAdmin):
    list_display = ["stay", "bed", "unit", "starts_at", "ends_at"]
    list_select_related = ["stay", "bed__room", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CleaningTask)
class CleaningTaskAdmin(SimpleHistoryAdmin):
    list_display = ["bed", "status", "opened_at", "started_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["bed__room"]


@admin.register(AdtEvent)
class AdtEventAdmin(admin.ModelAdmin):
    """ADT events exactly as received: read only."""

    list_display = ["received_at", "channel", "event_type", "sender_event_id", "encounter_number", "outcome"]
    list_filter = ["channel", "outcome", "event_type"]
    search_fields = ["sender_event_id", "encounter_number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StayAccess)
class StayAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "where", "count"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
# Equipment and inspections ------------------------------------------------------------------------------

from .models import (  # noqa: E402
    Asset,
    EquipmentKind,
    Finding,
    Inspection,
    InspectionSchedule,
    InspectionTemplate,
    MaintenancePlan,
    Recommendation,
    TemplateItem,
    WorkOrder,
)


@admin.register(EquipmentKind)
class EquipmentKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "modality", "default_criticality"]
    search_fields = ["code", "name"]


@admin.register(Asset)
class AssetAdmin(SimpleHistoryAdmin):
    list_display = ["tag", "kind", "manufacturer", "department", "criticality", "status"]
    list_filter = ["status", "criticality", "kind"]
    search_fields = ["tag", "serial_number", "manufacturer"]
    list_select_related = ["kind", "department"]
    raw_id_fields = ["room"]


@admin.register(MaintenancePlan)
class MaintenancePlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "asset", "interval_days", "interval_hours", "starts_on", "is_active"]
    raw_id_fields = ["asset"]


@admin.register(WorkOrder)
class WorkOrderAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "asset", "kind", "priority", "status", "due_on", "created_at"]
    list_filter = ["status", "kind", "priority"]
    raw_id_fields = ["asset", "plan"]
    list_select_related = ["asset"]


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0


@admin.register(InspectionTemplate)
class InspectionTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "purpose", "is_active"]
    inlines = [TemplateItemInline]


@admin.register(InspectionSchedule)
class InspectionScheduleAdmin(SimpleHistoryAdmin):
    list_display = ["template", "building", "department", "every_months", "per_shift", "is_active"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["template", "building", "department", "due_on", "shift", "status"]
    list_filter = ["status", "template"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "area", "severity", "status", "department", "due_on"]
    list_filter = ["status", "severity", "area"]
    raw_id_fields = ["inspection", "result", "work_order", "room"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "estimated_cost", "building", "department"]
    list_filter = ["status"]


from .models import InspectionPhoto, InspectionResult, OperatingHours, TemplateItem, UsageSession  # noqa: E402

for _model in (InspectionPhoto, InspectionResult, OperatingHours, TemplateItem, UsageSession):
    admin.site.register(_model, SimpleHistoryAdmin)
