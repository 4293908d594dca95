from django.urls import path

from .views import beds, equipment, inspections, utilisation

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
