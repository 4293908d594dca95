from django.urls import path

from .views import beds, equipment, inspection_setup, inspections, registry, utilisation

app_name = "facilities"

# Beds and patient flow
urlpatterns = [
    path("beds/board/", beds.board, name="bed-board"),
    path("beds/board/<int:unit_pk>/", beds.board, name="bed-board-unit"),
    path("beds/stays/<int:stay_pk>/assign/", beds.assign, name="stay-assign"),
    path("beds/stays/<int:stay_pk>/discharge/", beds.discharge, name="stay-discharge"),
    path("beds/", beds.bed_list, name="bed-list"),
    path("beds/new/<int:unit_pk>/", beds.bed_create, name="bed-create"),
    path("beds/<int:pk>/edit/", beds.bed_edit, name="bed-edit"),
    path("beds/<int:pk>/status/", beds.bed_status, name="bed-status"),
    path("beds/housekeeping/", beds.housekeeping, name="housekeeping"),
    path("beds/housekeeping/<int:pk>/<str:step>/", beds.cleaning_step, name="cleaning-step"),
    path("beds/access-log/", beds.stay_access_log, name="stay-access-log"),
    path("beds/utilisation/", utilisation.utilisation, name="bed-utilisation"),
]

# Equipment and maintenance
urlpatterns += [
    path("equipment/", equipment.asset_list, name="asset-list"),
    path("equipment/export/<str:fmt>/", equipment.asset_export, name="asset-export"),
    path("equipment/new/", equipment.asset_create, name="asset-create"),
    path("equipment/<int:pk>/", equipment.asset_detail, name="asset-detail"),
    path("equipment/<int:pk>/edit/", equipment.asset_edit, name="asset-edit"),
    path("equipment/<int:pk>/label/", equipment.asset_label, name="asset-label"),
    path("equipment/<int:pk>/report-fault/", equipment.asset_report_fault, name="asset-report-fault"),
    path("work-orders/", equipment.work_order_list, name="work-order-list"),
    path("work-orders/export/<str:fmt>/", equipment.work_order_export, name="work-order-export"),
    path("work-orders/<int:pk>/", equipment.work_order_detail, name="work-order-detail"),
    path("work-orders/<int:pk>/<str:step>/", equipment.work_order_step, name="work-order-step"),
    path("utilisation/", equipment.utilisation, name="utilisation"),
    path("utilisation/import/", equipment.usage_import, name="usage-import"),
    path("maintenance-plans/new/", equipment.plan_create, name="plan-create"),
    path("equipment/<int:pk>/operating-hours/", equipment.asset_operating_hours, name="asset-operating-hours"),
    path("maintenance-plans/<int:pk>/edit/", equipment.plan_edit, name="plan-edit"),
]

# Inspections
urlpatterns += [
    path("inspections/", inspections.inspection_list, name="inspection-list"),
    path("inspections/export/<str:fmt>/", inspections.inspection_export, name="inspection-export"),
    path("inspections/dashboard/", inspections.dashboard, name="inspection-dashboard"),
    path("inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/start/", inspections.inspection_start, name="inspection-start"),
    path("inspections/<int:pk>/items/<int:result_pk>/", inspections.inspection_answer, name="inspection-answer"),
    path("inspections/<int:pk>/complete/", inspections.inspection_complete, name="inspection-complete"),
    path("inspections/photos/<int:pk>/", inspections.photo, name="inspection-photo"),
    path("findings/", inspections.finding_list, name="finding-list"),
    path("findings/export/<str:fmt>/", inspections.finding_export, name="finding-export"),
    path("findings/<int:pk>/", inspections.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/<str:step>/", inspections.finding_step, name="finding-step"),
    path("recommendations/", inspections.recommendation_list, name="recommendation-list"),
    path("recommendations/<int:pk>/<str:to>/", inspections.recommendation_decide, name="recommendation-decide"),
]

# The registry: buildings, floors and rooms
urlpatterns += [
    path("registry/buildings/", registry.building_list, name="building-list"),
    path("registry/buildings/export/<str:fmt>/", registry.building_export, name="building-export"),
    path("registry/buildings/new/", registry.building_create, name="building-create"),
    path("registry/buildings/<int:pk>/", registry.building_detail, name="building-detail"),
    path("registry/buildings/<int:pk>/edit/", registry.building_edit, name="building-edit"),
    path("registry/floors/", registry.floor_list, name="floor-list"),
    path("registry/floors/export/<str:fmt>/", registry.floor_export, name="floor-export"),
    path("registry/floors/new/", registry.floor_create, name="floor-create"),
    path("registry/floors/<int:pk>/", registry.floor_detail, name="floor-detail"),
    path("registry/floors/<int:pk>/edit/", registry.floor_edit, name="floor-edit"),
    path("registry/rooms/", registry.room_list, name="room-list"),
    path("registry/rooms/export/<str:fmt>/", registry.room_export, name="room-export"),
    path("registry/rooms/new/", registry.room_create, name="room-create"),
    path("registry/rooms/<int:pk>/", registry.room_detail, name="room-detail"),
    path("registry/rooms/<int:pk>/edit/", registry.room_edit, name="room-edit"),
]

# Inspection templates, their checklist items, and schedules
urlpatterns += [
    path("inspections/templates/", inspection_setup.template_list, name="inspection-template-list"),
    path("inspections/templates/export/<str:fmt>/", inspection_setup.template_export,
         name="inspection-template-export"),
    path("inspections/templates/new/", inspection_setup.template_create, name="inspection-template-create"),
    path("inspections/templates/<int:pk>/", inspection_setup.template_detail, name="inspection-template-detail"),
    path("inspections/templates/<int:pk>/edit/", inspection_setup.template_edit, name="inspection-template-edit"),
    path("inspections/templates/<int:pk>/items/new/", inspection_setup.item_create, name="template-item-create"),
    path("inspections/items/<int:pk>/edit/", inspection_setup.item_edit, name="template-item-edit"),
    path("inspections/items/<int:pk>/remove/", inspection_setup.item_remove, name="template-item-remove"),
    path("inspections/schedules/", inspection_setup.schedule_list, name="inspection-schedule-list"),
    path("inspections/schedules/export/<str:fmt>/", inspection_setup.schedule_export,
         name="inspection-schedule-export"),
    path("inspections/schedules/new/", inspection_setup.schedule_create, name="inspection-schedule-create"),
    path("inspections/schedules/<int:pk>/", inspection_setup.schedule_detail, name="inspection-schedule-detail"),
    path("inspections/schedules/<int:pk>/edit/", inspection_setup.schedule_edit, name="inspection-schedule-edit"),
]

# Preventive maintenance: the asset search of the plan form
urlpatterns += [
    path("equipment/search/", equipment.asset_search, name="asset-search"),
]
