from django.urls import path

from .views import equipment

app_name = "facilities"
urlpatterns = []

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
