from django.urls import path

from . import views
from .views import generation

app_name = "staffing"
urlpatterns = [
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/new/", views.schedule_create, name="schedule-create"),
    path("schedules/<int:pk>/", views.schedule_detail, name="schedule-detail"),
    path("schedules/<int:pk>/cell/", views.schedule_cell, name="schedule-cell"),
    path("schedules/<int:pk>/copy/", views.schedule_copy, name="schedule-copy"),
    path("schedules/<int:pk>/submit/", views.schedule_submit, name="schedule-submit"),
    path("schedules/<int:pk>/approve/", views.schedule_approve, name="schedule-approve"),
    path("schedules/<int:pk>/reject/", views.schedule_reject, name="schedule-reject"),
    path("schedules/<int:pk>/publish/", views.schedule_publish, name="schedule-publish"),
    path("schedules/<int:pk>/revise/", views.schedule_revise, name="schedule-revise"),
    path("schedules/<int:pk>/export/<str:fmt>/", views.schedule_export, name="schedule-export"),
    path("schedules/<int:pk>/print/", views.schedule_print, name="schedule-print"),
    path("assignments/export/<str:fmt>/", views.assignment_export, name="assignment-export"),
    path("shift-colours.css", views.shift_colours, name="shift-colours"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:unit_pk>/shift-types/new/", views.shift_type_create, name="shift-type-create"),
    path("units/<int:unit_pk>/requirements/new/", views.requirement_create, name="requirement-create"),
    path("units/<int:unit_pk>/labour-rules/", views.unit_rules_edit, name="unit-rules"),
    path("shift-types/", views.shift_type_list, name="shift-type-list"),
    path("shift-types/<int:pk>/edit/", views.shift_type_edit, name="shift-type-edit"),
    path("requirements/", views.requirement_list, name="requirement-list"),
    path("requirements/<int:pk>/edit/", views.requirement_edit, name="requirement-edit"),
    path("labour-rules/", views.labour_rules_list, name="labour-rules-list"),
    path("labour-rules/hospital/", views.hospital_rules_edit, name="hospital-rules"),
    path("labour-rules/contracts/new/", views.contract_rules_create, name="contract-rules-create"),
    path("employees/<int:employee_pk>/labour-rules/", views.contract_rules_edit, name="contract-rules"),
    path("time-off/", views.time_off_list, name="time-off-list"),
    path("time-off/<int:pk>/", views.time_off_detail, name="time-off-detail"),
    path("time-off/<int:pk>/decide/", views.time_off_decide, name="time-off-decide"),
    path("time-off/<int:pk>/cancel/", views.time_off_cancel, name="time-off-cancel"),
    path("my-shifts/", views.my_shifts, name="my-shifts"),
    path("my-shifts/calendar/renew/", views.calendar_feed_renew, name="calendar-renew"),
    path("my-shifts/calendar/revoke/", views.calendar_feed_revoke, name="calendar-revoke"),
    path("my-time-off/", views.my_time_off, name="my-time-off"),
    path("my-preferences/", views.my_preferences, name="my-preferences"),
    path("my-preferences/<int:pk>/remove/", views.preference_remove, name="preference-remove"),
    path("calendar/<str:token>.ics", views.ical_feed, name="ical-feed"),
    path("schedules/<int:pk>/generate/", generation.generate, name="schedule-generate"),
    path("schedules/<int:pk>/generate/gap/", generation.generate_gap, name="schedule-generate-gap"),
    path("schedules/<int:pk>/generate/<int:run_pk>/progress/", generation.generate_progress,
         name="schedule-generate-progress"),
    path("schedules/<int:pk>/generate/<int:run_pk>/<str:action>/", generation.generate_action,
         name="schedule-generate-action"),
    path("schedules/<int:pk>/locks/", generation.cell_lock, name="schedule-lock"),
    path("schedules/<int:pk>/generator-settings/", generation.generator_settings, name="generator-settings"),
]

from .views import cover  # noqa: E402

urlpatterns += [
    path("my-shifts/open-shifts/<int:pk>/claim/", cover.open_shift_claim, name="open-shift-claim"),
    path("my-shifts/swaps/returns/", cover.swap_returns, name="swap-returns"),
    path("my-shifts/swaps/offer/", cover.swap_offer, name="swap-offer"),
    path("my-shifts/swaps/<int:pk>/accept/", cover.swap_accept, name="swap-accept"),
    path("cover/", cover.cover_decisions, name="cover-decisions"),
    path("cover/<str:kind>/<int:pk>/<str:decision>/", cover.cover_decide, name="cover-decide"),
]

from .views import ratios  # noqa: E402

urlpatterns += [
    path("ratios/", ratios.ratio_list, name="ratio-list"),
    path("units/<int:unit_pk>/ratios/new/", ratios.ratio_create, name="ratio-create"),
    path("ratios/<int:pk>/edit/", ratios.ratio_edit, name="ratio-edit"),
    path("units/<int:unit_pk>/hppd-targets/new/", ratios.hppd_target_create, name="hppd-target-create"),
    path("hppd-targets/<int:pk>/edit/", ratios.hppd_target_edit, name="hppd-target-edit"),
    path("hppd/", ratios.hppd_page, name="hppd"),
]
