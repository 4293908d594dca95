from rest_framework.routers import APIRootView, DefaultRouter


class FinanceApiRoot(APIRootView):
    """The finance API."""

    api_app = "finance"  # a token's "finance" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = FinanceApiRoot

app_name = "finance-api"
urlpatterns = router.urls
