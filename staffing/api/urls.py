from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from . import ratio_views, scheduler_views, views


class StaffingApiRoot(APIRootView):
    """The staffing API: shift types, requirements, labour rules, rosters and their approval, roster
    cells, time off and shift preferences, census-driven staffing ratios and nursing hours per patient day."""

    api_app = "staffing"  # a token's "staffing" scope opens this page, like the endpoints it lists


router = DefaultRouter()
router.APIRootView = StaffingApiRoot
router.register("shift-types", views.ShiftTypeViewSet, basename="shift-type")
router.register("requirements", views.RequirementViewSet, basename="requirement")
router.register("labour-rules", views.LabourRulesViewSet, basename="labour-rules")
router.register("schedules", views.ScheduleViewSet, basename="schedule")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("time-off", views.TimeOffViewSet, basename="time-off")
router.register("preferences", views.PreferenceViewSet, basename="preference")
router.register("ratios", ratio_views.RatioViewSet, basename="ratio")
router.register("hppd-targets", ratio_views.HppdTargetViewSet, basename="hppd-target")
router.register("generations", scheduler_views.GenerationViewSet, basename="generation")
router.register("open-shifts", scheduler_views.OpenShiftViewSet, basename="open-shift")
router.register("swaps", scheduler_views.SwapViewSet, basename="swap")

app_name = "staffing-api"
urlpatterns = [path("hppd/", ratio_views.HppdView.as_view(), name="hppd"), *router.urls]
