"""The generation page: start, progress, accept/discard, locks, the gaps explained and fairness;
another department's roster is a 404 everywhere; bad input changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from staffing import generation_services as gen
from staffing import rules
from staffing.models import CellLock, Generation, GeneratorSettings, ShiftAssignment, StaffingRequirement, TimeOff
from staffing.scheduler import explain, fairness
from tests.records.factories import EmployeeFactory, EmployeeSkillFactory, SkillFactory
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(roster, hospital):
    hospital_rules(min_rest_hours=Decimal(11), max_consecutive_days=5)
    for weekday in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=2)
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.night, weekday=weekday,
                                           required_count=1)
    roster.scheduler = hospital.users["scheduler_med"]
    return roster


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_scheduler_sees_the_page_and_another_department_gets_404(ward, hospital):
    url = reverse("staffing:schedule-generate", args=[ward.schedule.pk])
    page = client_for(ward.scheduler).get(url)
    assert page.status_code == 200
    assert b"Generate" in page.content and b"Unfilled coverage" in page.content and b"Fairness" in page.content

    outsider = client_for(hospital.users["head_surg"])
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"time_limit": 10, "keep": "all"}).status_code == 404
    assert outsider.post(reverse("staffing:schedule-lock", args=[ward.schedule.pk]),
                         {"employee": hospital.nurse.pk, "date": "2026-12-08", "locked": "on"}).status_code == 404
    assert not Generation.objects.exists() and not CellLock.objects.exists()


def test_starting_a_generation_queues_one_run_and_a_second_is_refused(ward, django_capture_on_commit_callbacks,
                                                                       monkeypatch):
    queued = []
    monkeypatch.setattr(gen.tasks.run_generation, "delay", lambda pk: queued.append(pk))
    url = reverse("staffing:schedule-generate", args=[ward.schedule.pk])
    client = client_for(ward.scheduler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"time_limit": 30, "keep": "none"})
    assert response.status_code == 302
    run = Generation.objects.get()
    assert (run.time_limit, run.keep, queued) == (30, "none", [run.pk])

    again = client.post(url, {"time_limit": 30, "keep": "none"})
    assert again.status_code in (200, 409)
    assert Generation.objects.count() == 1


@pytest.mark.parametrize("data", [
    {"time_limit": 1, "keep": "all"},
    {"time_limit": 10**9, "keep": "all"},
    {"time_limit": "x" * 5000, "keep": "all"},
    {"time_limit": 30, "keep": "everything"},
])
def test_bad_input_is_refused_and_changes_nothing(ward, data):
    response = client_for(ward.scheduler).post(reverse("staffing:schedule-generate", args=[ward.schedule.pk]), data)
    assert response.status_code == 400
    assert not Generation.objects.exists()


def test_progress_accept_and_locks_through_the_pages(ward, hospital):
    client = client_for(ward.scheduler)
    lock_url = reverse("staffing:schedule-lock", args=[ward.schedule.pk])
    lock = {"employee": hospital.nurse.pk, "date": "2026-12-08", "locked": "on"}
    assert client.post(lock_url, lock).status_code == 302
    assert CellLock.objects.filter(employee=hospital.nurse, date=dt.date(2026, 12, 8)).exists()
    assert client.post(lock_url, {**lock, "date": "1999-01-01"}).status_code == 400

    run = gen.run_generation(gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5).pk,
                             workers=1, tick=0.2)
    progress = client.get(reverse("staffing:schedule-generate-progress", args=[ward.schedule.pk, run.pk]))
    assert progress.status_code == 200 and b'data-state="proposed"' in progress.content
    page = client.get(reverse("staffing:schedule-generate", args=[ward.schedule.pk]))
    assert b"What the generation changed" in page.content

    accept = reverse("staffing:schedule-generate-action", args=[ward.schedule.pk, run.pk, "accept"])
    assert client_for(hospital.users["head_surg"]).post(accept).status_code == 404
    assert client.post(accept).status_code == 302
    run.refresh_from_db()
    assert run.state == Generation.State.ACCEPTED


def test_a_gap_names_the_right_reason_for_each_candidate(ward, hospital):
    """Tuesday's day shift needs two; nobody is on it. Nora is on leave, Stacy worked the night before
    (rest), a third nurse has done five days in a row, a fourth is free."""
    nora, stacy = hospital.nurse, hospital.staff_employee
    tired = EmployeeFactory(department=ward.ward, first_name="Tess", last_name="Tired")
    free = EmployeeFactory(department=ward.ward, first_name="Fran", last_name="Free")
    tuesday = ward.days[8]
    TimeOff.objects.create(employee=nora, start_date=tuesday, end_date=tuesday, status=TimeOff.Status.APPROVED,
                           kind=TimeOff.Kind.VACATION, requested_by=hospital.users["admin"])
    ShiftAssignment.objects.create(schedule=ward.schedule, employee=stacy, shift_type=ward.night,
                                   date=tuesday - dt.timedelta(days=1))
    for back in range(1, 6):
        ShiftAssignment.objects.create(schedule=ward.schedule, employee=tired, shift_type=ward.late,
                                       date=tuesday - dt.timedelta(days=back))
    ctx = rules.load_context(ward.schedule)
    gaps = explain.explain_gaps(ctx, gen.roster_cells(ward.schedule))

    gap = next(g for g in gaps if g.row.date == tuesday and g.shift_code == "D")
    reasons = {c.employee_id: set(c.codes) for c in gap.candidates}
    assert "time_off" in reasons[nora.pk]
    assert reasons[stacy.pk] & {"rest", "succession", "overlap"}
    assert "max_consecutive" in reasons[tired.pk]
    assert reasons[free.pk] == set()


def test_a_skill_requirement_names_the_missing_skill(ward, hospital):
    telemetry = SkillFactory(name="Telemetry")
    StaffingRequirement.objects.create(department=ward.ward, shift_type=ward.day, on_date=ward.days[0],
                                       skill=telemetry, required_count=1)
    EmployeeSkillFactory(employee=hospital.nurse, skill=telemetry)
    ctx = rules.load_context(ward.schedule)
    gap = next(g for g in explain.explain_gaps(ctx, []) if g.row.skill_id == telemetry.pk)
    reasons = {c.employee_id: set(c.codes) for c in gap.candidates}
    assert reasons[hospital.staff_employee.pk] == {"skill"}
    assert reasons[hospital.nurse.pk] == set()


def test_fairness_counts_nights_weekends_and_holidays_against_fte_shares(ward, hospital, settings):
    settings.HOSPITAL_HOLIDAY_COUNTRY, settings.HOSPITAL_HOLIDAY_REGION = "US", ""
    half = EmployeeFactory(department=ward.ward, fte=Decimal("0.5"))
    christmas = dt.date(2026, 12, 25)  # a Friday in the roster
    cells = [rules.Cell(hospital.nurse.pk, christmas, ward.night.pk),
             rules.Cell(hospital.nurse.pk, dt.date(2026, 12, 12), ward.day.pk),  # a Saturday
             rules.Cell(half.pk, dt.date(2026, 12, 13), ward.night.pk)]  # a Sunday night
    ctx = rules.load_context(ward.schedule)

    counts = fairness.counts(ctx, cells)
    assert counts[hospital.nurse.pk] == {"nights": 1, "weekends": 1, "holidays": 1}
    assert counts[half.pk] == {"nights": 1, "weekends": 1, "holidays": 0}
    shares = fairness.shares(ctx)
    # 28 nights needed, FTE 1 + 1 + 0.5: a full-timer's share is 28 * 1 / 2.5
    assert shares[hospital.nurse.pk]["nights"] == Decimal(28) / Decimal("2.5")
    assert shares[half.pk]["nights"] == shares[hospital.nurse.pk]["nights"] / 2
    # Christmas Day and New Year's Day, each 2 on days + 1 on nights
    assert shares[hospital.nurse.pk]["holidays"] == Decimal(6) / Decimal("2.5")


def test_the_unit_sets_its_fairness_weight_and_runs_use_it(ward, hospital):
    url = reverse("staffing:generator-settings", args=[ward.schedule.pk])
    assert client_for(ward.scheduler).post(url, {"fairness_weight": 3}).status_code == 404  # heads only
    head = client_for(hospital.users["head_med"])
    assert head.post(url, {"fairness_weight": 10**6}).status_code == 302
    assert not GeneratorSettings.objects.exists()
    assert head.post(url, {"fairness_weight": 3}).status_code == 302
    assert GeneratorSettings.objects.get(department=ward.ward).fairness_weight == 3
    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)
    assert run.fairness_weight == 3
