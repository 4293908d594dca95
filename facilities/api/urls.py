from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from . import beds, equipment, fhir, maintenance


class FacilitiesApiRoot(APIRootView):
    """The facilities API."""

    api_app = "facilities"  # a token's "facilities" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = FacilitiesApiRoot
router.register("beds", beds.BedViewSet, basename="bed")
router.register("stays", beds.StayViewSet, basename="stay")
router.register("assets", equipment.AssetViewSet, basename="asset")
router.register("work-orders", equipment.WorkOrderViewSet, basename="work-order")
router.register("usage-sessions", equipment.UsageSessionViewSet, basename="usage-session")
router.register("findings", equipment.FindingViewSet, basename="finding")
router.register("maintenance-plans", maintenance.MaintenancePlanViewSet, basename="maintenance-plan")
router.register("operating-hours", maintenance.OperatingHoursViewSet, basename="operating-hours")

app_name = "facilities-api"
urlpatterns = router.urls
urlpatterns += [
    path("adt/", beds.AdtView.as_view(), name="adt"),
    path("fhir/Location", fhir.LocationSearch.as_view(), name="fhir-location-search"),
    path("fhir/Location/<str:pk>", fhir.LocationRead.as_view(), name="fhir-location-read"),
    path("fhir/Encounter", fhir.EncounterSearch.as_view(), name="fhir-encounter-search"),
    path("fhir/Encounter/<str:pk>", fhir.EncounterRead.as_view(), name="fhir-encounter-read"),
]
