from rest_framework.routers import APIRootView, DefaultRouter

from . import equipment


class FacilitiesApiRoot(APIRootView):
    """The facilities API."""

    api_app = "facilities"  # a token's "facilities" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = FacilitiesApiRoot
router.register("assets", equipment.AssetViewSet, basename="asset")
router.register("work-orders", equipment.WorkOrderViewSet, basename="work-order")
router.register("usage-sessions", equipment.UsageSessionViewSet, basename="usage-session")
router.register("findings", equipment.FindingViewSet, basename="finding")

app_name = "facilities-api"
urlpatterns = router.urls
