from rest_framework.routers import APIRootView, DefaultRouter


class FacilitiesApiRoot(APIRootView):
    """The facilities API."""

    api_app = "facilities"  # a token's "facilities" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = FacilitiesApiRoot

app_name = "facilities-api"
urlpatterns = router.urls
