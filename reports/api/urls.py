from rest_framework.routers import APIRootView, DefaultRouter

from . import views


class ReportsApiRoot(APIRootView):
    """The reports API: report runs, their progress and their PDFs."""

    api_app = "reports"


router = DefaultRouter()
router.APIRootView = ReportsApiRoot
router.register("runs", views.ReportRunViewSet, basename="run")

app_name = "reports-api"
urlpatterns = router.urls
