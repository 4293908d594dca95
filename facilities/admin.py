from django.contrib import admin
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
