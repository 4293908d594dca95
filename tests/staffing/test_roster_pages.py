"""Roster pages: scoping, creating a roster, the HTMX grid, the approval buttons and a unit's page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import Employee
from staffing import services
from staffing.models import (
    Schedule,
    ShiftAssignment,
    TimeOff,
)
from staffing.services import CellChange
from tests.records.factories import EmployeeFactory
from tests.staffing.factories import RequirementFactory, ScheduleFactory
from tests.staffing.page_helpers import as_user, cell_post, detail, place, set_status

pytestmark = pytest.mark.django_db


# Scoping


def test_it_lists_the_wards_rosters_for_its_scheduler(client, hospital, roster):
    response = as_user(client, hospital, "scheduler_med").get(reverse("staffing:schedule-list"))
    assert response.status_code == 200
    assert detail(roster.schedule) in response.text


def test_it_leaves_another_departments_rosters_out_of_the_list(client, hospital, roster):
    response = as_user(client, hospital, "head_surg").get(reverse("staffing:schedule-list"))
    assert response.status_code == 200
    assert detail(roster.schedule) not in response.text


def test_it_filters_the_list_by_status(client, hospital, roster):
    response = as_user(client, hospital, "head_med").get(reverse("staffing:schedule-list"), {"status": "published"})
    assert detail(roster.schedule) not in response.text


@pytest.mark.parametrize("name", ["scheduler_med", "head_med", "ops"])
def test_it_shows_the_roster_to_the_wards_people(client, hospital, roster, name):
    response = as_user(client, hospital, name).get(detail(roster.schedule))
    assert response.status_code == 200
    assert "Nightingale" in response.text


@pytest.mark.parametrize("name", ["head_surg", "staff", "board", "finance"])
def test_it_hides_the_roster_from_everyone_else(client, hospital, roster, name):
    assert as_user(client, hospital, name).get(detail(roster.schedule)).status_code == 404


@pytest.mark.parametrize("name", ["staff", "board"])
def test_it_hides_the_roster_list_from_staff_and_board(client, hospital, roster, name):
    assert as_user(client, hospital, name).get(reverse("staffing:schedule-list")).status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, roster):
    response = client.get(detail(roster.schedule))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_my_shifts_to_a_staff_member(client, hospital):
    assert as_user(client, hospital, "staff").get(reverse("staffing:my-shifts")).status_code == 200


def test_it_answers_404_for_my_shifts_without_an_employee_record(client, hospital):
    assert as_user(client, hospital, "ops").get(reverse("staffing:my-shifts")).status_code == 404


# Creating a roster


def test_it_creates_a_draft_roster(client, hospital, roster):
    start = dt.date(2027, 3, 1)
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-create"),
        {"department": hospital.ward.pk, "start_date": start.isoformat(), "weeks": 2},
    )
    schedule = Schedule.objects.get(department=hospital.ward, start_date=start)
    assert response.status_code == 302
    assert response["Location"] == detail(schedule)
    assert schedule.end_date == start + dt.timedelta(days=13)
    assert schedule.status == Schedule.Status.DRAFT


def test_it_suggests_next_monday_for_a_new_roster(client, hospital, roster):
    response = as_user(client, hospital, "scheduler_med").get(reverse("staffing:schedule-list"))
    today = timezone.localdate()
    assert (today + dt.timedelta(days=7 - today.weekday())).isoformat() in response.text


@pytest.mark.parametrize("weeks", ["0", "10", "x"])
def test_it_refuses_a_roster_of_a_bad_length(client, hospital, roster, weeks):
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-create"),
        {"department": hospital.ward.pk, "start_date": "2027-03-01", "weeks": weeks},
    )
    assert response.status_code == 400
    assert "is-invalid" in response.text
    assert not Schedule.objects.filter(start_date=dt.date(2027, 3, 1)).exists()


def test_it_refuses_a_roster_overlapping_another(client, hospital, roster):
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-create"),
        {"department": hospital.ward.pk, "start_date": (roster.monday + dt.timedelta(days=7)).isoformat(), "weeks": 1},
    )
    assert response.status_code == 400
    assert "already has a roster" in response.text
    assert Schedule.objects.filter(department=hospital.ward).count() == 1


def test_it_refuses_a_roster_for_a_unit_outside_the_users_reach(client, hospital, roster):
    response = as_user(client, hospital, "head_surg").post(
        reverse("staffing:schedule-create"),
        {"department": hospital.ward.pk, "start_date": "2027-03-01", "weeks": 1},
    )
    assert response.status_code == 400
    assert not Schedule.objects.filter(start_date=dt.date(2027, 3, 1)).exists()


# The HTMX grid


def test_it_saves_a_cell_and_answers_the_cell_with_out_of_band_panels(client, hospital, roster):
    RequirementFactory(shift_type=roster.day, weekday=roster.monday.weekday(), required_count=2)
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.monday, "d")
    assert response.status_code == 200
    assert ShiftAssignment.objects.get(employee=hospital.nurse, date=roster.monday).shift_type == roster.day
    assert f'id="cell-{hospital.nurse.pk}-{roster.monday:%Y%m%d}"' in response.text
    assert 'id="coverage"' in response.text and 'id="violations"' in response.text
    assert response.text.count('hx-swap-oob="true"') >= 4
    assert "1/2" in response.text


def test_it_clears_a_cell(client, hospital, roster):
    place(hospital, roster, hospital.nurse, roster.monday, roster.day)
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.monday, "")
    assert response.status_code == 200
    assert not ShiftAssignment.objects.filter(employee=hospital.nurse).exists()


def test_it_refuses_a_forbidden_succession_and_keeps_the_old_value(client, hospital, roster):
    place(hospital, roster, hospital.nurse, roster.days[0], roster.night)
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.days[1], "D")
    assert response.status_code == 422
    assert "D may not follow N" in response.text
    assert 'class="cell-error"' in response.text
    assert 'name="code" value=""' in response.text
    assert not ShiftAssignment.objects.filter(employee=hospital.nurse, date=roster.days[1]).exists()


def test_it_refuses_an_unknown_shift_code(client, hospital, roster):
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.monday, "ZZ")
    assert response.status_code == 400
    assert "ZZ is not a shift of this unit" in response.text
    assert not ShiftAssignment.objects.exists()


def test_it_refuses_a_cell_outside_the_rosters_period(client, hospital, roster):
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.monday - dt.timedelta(days=1), "D")
    assert response.status_code == 400
    assert not ShiftAssignment.objects.exists()


def test_it_refuses_a_cell_for_someone_from_another_unit(client, hospital, roster):
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.surgeon,
                         roster.monday, "D")
    assert response.status_code == 400
    assert not ShiftAssignment.objects.exists()


def test_it_refuses_editing_a_submitted_roster(client, hospital, roster):
    set_status(roster.schedule, Schedule.Status.SUBMITTED)
    response = cell_post(as_user(client, hospital, "scheduler_med"), roster.schedule, hospital.nurse,
                         roster.monday, "D")
    assert response.status_code == 409
    assert "only a draft can be changed" in response.text
    assert not ShiftAssignment.objects.exists()


def test_it_hides_the_cell_endpoint_from_another_department(client, hospital, roster):
    response = cell_post(as_user(client, hospital, "head_surg"), roster.schedule, hospital.nurse, roster.monday, "D")
    assert response.status_code == 404
    assert not ShiftAssignment.objects.exists()


def test_it_shows_read_only_cells_once_submitted(client, hospital, roster):
    place(hospital, roster, hospital.nurse, roster.monday, roster.day)
    set_status(roster.schedule, Schedule.Status.SUBMITTED)
    response = as_user(client, hospital, "scheduler_med").get(detail(roster.schedule))
    assert 'class="cell-input"' not in response.text
    assert '<span class="cell-code">D</span>' in response.text


def test_it_lists_hard_violations_in_the_panel(client, hospital, roster):
    place(hospital, roster, hospital.nurse, roster.monday, roster.day)
    TimeOff.objects.create(employee=hospital.nurse, start_date=roster.monday, end_date=roster.monday,
                           status=TimeOff.Status.APPROVED, requested_by=hospital.users["head_med"])
    response = as_user(client, hospital, "scheduler_med").get(detail(roster.schedule))
    assert "1 hard" in response.text
    assert "has approved time off" in response.text


@pytest.mark.parametrize("size", [3, 30])
def test_it_renders_the_roster_in_constant_queries(client, hospital, roster, size, django_assert_max_num_queries):
    RequirementFactory(shift_type=roster.day, weekday=0, required_count=2)
    people = [hospital.nurse, hospital.staff_employee] + [
        EmployeeFactory(department=hospital.ward) for _ in range(size - 2)
    ]
    services.set_cells(
        actor=hospital.users["scheduler_med"], schedule=roster.schedule,
        changes=[CellChange(person, day, roster.day) for person in people for day in roster.days[:5]],
    )
    client = as_user(client, hospital, "scheduler_med")
    with django_assert_max_num_queries(24):
        response = client.get(detail(roster.schedule))
    assert response.text.count('class="employee-name"') == size


# The approval buttons


def test_it_submits_a_draft(client, hospital, roster):
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-submit", args=[roster.schedule.pk]), {"submit-comment": "Ready"}
    )
    roster.schedule.refresh_from_db()
    assert response.status_code == 302
    assert roster.schedule.status == Schedule.Status.SUBMITTED
    assert roster.schedule.comment == "Ready"


def test_it_approves_a_submitted_roster(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    client = as_user(client, hospital, "head_med")
    client.post(reverse("staffing:schedule-approve", args=[roster.schedule.pk]), {"approve-comment": ""})
    roster.schedule.refresh_from_db()
    assert roster.schedule.status == Schedule.Status.APPROVED
    assert roster.schedule.decided_by == hospital.users["head_med"]


def test_it_shows_why_approving_your_own_submission_is_refused(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    client = as_user(client, hospital, "head_med")
    response = client.post(reverse("staffing:schedule-approve", args=[roster.schedule.pk]), follow=True)
    roster.schedule.refresh_from_db()
    assert roster.schedule.status == Schedule.Status.SUBMITTED
    assert "someone else must approve" in response.text


def test_it_answers_404_when_a_scheduler_tries_to_approve(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-approve", args=[roster.schedule.pk])
    )
    roster.schedule.refresh_from_db()
    assert response.status_code == 404
    assert roster.schedule.status == Schedule.Status.SUBMITTED


def test_it_refuses_a_rejection_without_a_reason(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    response = as_user(client, hospital, "head_med").post(
        reverse("staffing:schedule-reject", args=[roster.schedule.pk]), {"reject-reason": ""}
    )
    roster.schedule.refresh_from_db()
    assert response.status_code == 400
    assert "This field is required" in response.text
    assert roster.schedule.status == Schedule.Status.SUBMITTED


def test_it_rejects_with_a_reason(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    as_user(client, hospital, "head_med").post(
        reverse("staffing:schedule-reject", args=[roster.schedule.pk]), {"reject-reason": "Nights are short"}
    )
    roster.schedule.refresh_from_db()
    assert roster.schedule.status == Schedule.Status.DRAFT
    assert roster.schedule.rejection_reason == "Nights are short"


def test_it_publishes_an_approved_roster(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    services.approve_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    as_user(client, hospital, "scheduler_med").post(reverse("staffing:schedule-publish", args=[roster.schedule.pk]))
    roster.schedule.refresh_from_db()
    assert roster.schedule.status == Schedule.Status.PUBLISHED


def test_it_shows_the_conflict_when_publishing_a_draft(client, hospital, roster):
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-publish", args=[roster.schedule.pk]), follow=True
    )
    roster.schedule.refresh_from_db()
    assert roster.schedule.status == Schedule.Status.DRAFT
    assert "Only an approved roster can be published" in response.text


def test_it_starts_a_revision_with_a_reason(client, hospital, roster):
    set_status(roster.schedule, Schedule.Status.PUBLISHED)
    as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-revise", args=[roster.schedule.pk]), {"revise-reason": "Sick leave"}
    )
    roster.schedule.refresh_from_db()
    assert (roster.schedule.status, roster.schedule.revision) == (Schedule.Status.DRAFT, 2)


def test_it_refuses_a_revision_without_a_reason(client, hospital, roster):
    set_status(roster.schedule, Schedule.Status.PUBLISHED)
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-revise", args=[roster.schedule.pk]), {"revise-reason": "  "}
    )
    roster.schedule.refresh_from_db()
    assert response.status_code == 400
    assert roster.schedule.status == Schedule.Status.PUBLISHED


def test_it_copies_the_previous_roster(client, hospital, roster):
    earlier = ScheduleFactory(department=hospital.ward, start_date=roster.monday - dt.timedelta(days=28),
                              created_by=hospital.users["scheduler_med"])
    ShiftAssignment.objects.create(schedule=earlier, employee=hospital.nurse, shift_type=roster.day,
                                   date=earlier.start_date)
    response = as_user(client, hospital, "scheduler_med").post(
        reverse("staffing:schedule-copy", args=[roster.schedule.pk]), follow=True
    )
    assert "Copied 1 shift" in response.text
    assert ShiftAssignment.objects.filter(schedule=roster.schedule, date=roster.monday).exists()


def test_it_shows_the_history_of_the_roster(client, hospital, roster):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule, comment="Ready")
    response = as_user(client, hospital, "head_med").get(detail(roster.schedule))
    assert "submitted: Ready" in response.text


# A unit's page


def test_it_shows_the_units_current_and_next_rosters(client, hospital, roster):
    response = as_user(client, hospital, "head_med").get(reverse("staffing:unit-detail", args=[hospital.ward.pk]))
    assert response.status_code == 200
    assert "Unfilled shifts" in response.text
    assert detail(roster.schedule) in response.text


def test_it_hides_another_departments_unit_page(client, hospital, roster):
    response = as_user(client, hospital, "head_surg").get(reverse("staffing:unit-detail", args=[hospital.ward.pk]))
    assert response.status_code == 404


def test_it_keeps_employees_of_the_ward_in_the_grid(client, hospital, roster):
    Employee.objects.filter(pk=hospital.surgeon.pk).update(department=hospital.theatre)
    response = as_user(client, hospital, "scheduler_med").get(detail(roster.schedule))
    assert "Sutures" not in response.text
