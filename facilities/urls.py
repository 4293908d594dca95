from django.urls import path

from .views import beds, utilisation

app_name = "facilities"
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
