from django.urls import path

from . import views

app_name = "staffing"
urlpatterns = [
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule-detail"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical-feed"),
]
