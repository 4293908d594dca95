from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("reports/", views.archive, name="archive"),
    path("reports/request/", views.run_request, name="run-request"),
    path("reports/runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("reports/runs/<int:pk>/progress/", views.run_progress, name="run-progress"),
    path("reports/runs/<int:pk>/download/", views.run_download, name="run-download"),
    path("reports/runs/<int:pk>/full-list/", views.run_workbook, name="run-workbook"),
    path("reports/runs/<int:pk>/regenerate/", views.run_regenerate, name="run-regenerate"),
    path("reports/schedules/", views.schedule_list, name="schedule-list"),
    path("reports/schedules/new/", views.schedule_edit, name="schedule-create"),
    path("reports/schedules/<int:pk>/", views.schedule_edit, name="schedule-edit"),
    path("reports/schedules/<int:pk>/pause/", views.schedule_toggle, name="schedule-toggle"),
]
