"""Generating a draft roster as a background job: locks kept, no hard violation written, cancel
keeps the best roster, one open run per roster, re-runs never duplicated, discard puts cells back,
and another department's scheduler is refused."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hospital_ops.models import Job
from staffing import generation_services as gen
from staffing import rules
from staffing.models import (
    CellLock,
    Generation,
    GeneratorSettings,
    LabourRules,
    ShiftAssignment,
    StaffingRequirement,
)
from staffing.scheduler import model as sched_model
from tests.records.factories import EmployeeFactory
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(roster, hospital):
    hospital_rules(min_rest_hours=Decimal(11), max_consecutive_days=5, max_consecutive_nights=3)
    for n in range(4):
        EmployeeFactory(department=roster.ward, first_name=f"Nurse{n}", last_name=f"Ward{n}")
    for weekday in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=2)
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.night, weekday=weekday,
                                           required_count=1)
    roster.scheduler = hospital.users["scheduler_med"]
    return roster


def coverage_gap(schedule):
    ctx = rules.load_context(schedule)
    return sum(row.gap for row in rules.coverage(ctx, gen.roster_cells(schedule)))


def test_it_generates_a_roster_without_hard_violations_that_keeps_locked_cells(ward, hospital):
    ShiftAssignment.objects.create(schedule=ward.schedule, employee=hospital.nurse, shift_type=ward.late,
                                   date=ward.days[2])
    CellLock.objects.create(schedule=ward.schedule, employee=hospital.nurse, date=ward.days[2],
                            locked_by=ward.scheduler)
    CellLock.objects.create(schedule=ward.schedule, employee=hospital.nurse, date=ward.days[3],
                            locked_by=ward.scheduler)  # a locked free day stays free
    gap_before = coverage_gap(ward.schedule)

    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, keep="locked", time_limit=5)
    run = gen.run_generation(run.pk, workers=1, tick=0.2)

    assert run.state == Generation.State.PROPOSED
    assert run.hard_violations == 0
    cells = gen.roster_cells(ward.schedule)
    assert rules.Cell(hospital.nurse.pk, ward.days[2], ward.late.pk) in cells
    assert not any(c.employee_id == hospital.nurse.pk and c.date == ward.days[3] for c in cells)
    ctx = rules.load_context(ward.schedule)
    assert sched_model.refused(rules.check_roster(ctx, cells), limit_weight=run.limit_weight) == []
    assert coverage_gap(ward.schedule) < gap_before
    job = Job.objects.get(pk=run.job_id)
    assert job.status == Job.Status.SUCCEEDED and job.result["generation"] == run.pk
    assert run.trace and run.score is not None


def test_a_second_generate_on_the_same_roster_is_refused_while_one_is_open(ward):
    gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)

    with pytest.raises(ValidationError, match="already being generated"):
        gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)
    assert Generation.objects.count() == 1


def test_cancel_stops_the_run_and_keeps_the_best_roster_found(ward, monkeypatch):
    for n in range(10):
        EmployeeFactory(department=ward.ward, first_name=f"Extra{n}", last_name="Cover")
    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=120)
    started = time.monotonic()
    # The cancel arrives once a roster better than the empty one has been reported.
    monkeypatch.setattr(gen.jobs, "cancel_requested",
                        lambda job_id: len(Generation.objects.get(job_id=job_id).trace) >= 2)

    run = gen.run_generation(run.pk, workers=1, tick=0.05)

    assert time.monotonic() - started < 30
    assert run.state == Generation.State.PROPOSED
    assert run.after and len(gen.roster_cells(ward.schedule)) == len(run.after)
    assert run.score < run.score_before
    assert "Stopped on request" in Job.objects.get(pk=run.job_id).message


def test_a_queued_run_cancelled_before_a_worker_takes_it_never_runs(ward):
    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)
    gen.cancel_generation(actor=ward.scheduler, generation=run)

    run = gen.run_generation(run.pk, workers=1)

    assert run.state == Generation.State.CANCELLED
    assert not ShiftAssignment.objects.filter(schedule=ward.schedule).exists()


def test_a_run_delivered_again_after_a_worker_restart_is_rerun_once_and_never_duplicated(ward):
    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)
    Generation.objects.filter(pk=run.pk).update(state=Generation.State.RUNNING, attempt=1)  # the worker died
    Job.objects.filter(pk=run.job_id).update(status=Job.Status.RUNNING)

    run = gen.run_generation(run.pk, workers=1, tick=0.2)
    written = ShiftAssignment.objects.filter(schedule=ward.schedule).count()
    again = gen.run_generation(run.pk, workers=1)

    assert run.attempt == 2 and run.state == Generation.State.PROPOSED
    assert again.attempt == 2 and again.state == Generation.State.PROPOSED
    assert ShiftAssignment.objects.filter(schedule=ward.schedule).count() == written == len(run.after)


def test_discard_puts_back_the_cells_from_before_and_accept_keeps_the_new_ones(ward, hospital):
    ShiftAssignment.objects.create(schedule=ward.schedule, employee=hospital.nurse, shift_type=ward.day,
                                   date=ward.days[0])
    before = gen.roster_cells(ward.schedule)
    run = gen.run_generation(
        gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, keep="none", time_limit=5).pk,
        workers=1)
    assert gen.roster_cells(ward.schedule) != before

    gen.discard_generation(actor=ward.scheduler, generation=run)
    assert gen.roster_cells(ward.schedule) == before

    run = gen.run_generation(gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5).pk,
                             workers=1)
    gen.accept_generation(actor=ward.scheduler, generation=run)
    run.refresh_from_db()
    assert run.state == Generation.State.ACCEPTED
    assert gen.roster_cells(ward.schedule) == gen.cells_from_json(run.after)


def test_another_departments_scheduler_cannot_generate_or_lock(ward, hospital):
    with pytest.raises(PermissionDenied):
        gen.start_generation(actor=hospital.users["head_surg"], schedule=ward.schedule, time_limit=5)
    with pytest.raises(PermissionDenied):
        gen.set_lock(actor=hospital.users["head_surg"], schedule=ward.schedule, employee=hospital.nurse,
                     date=ward.days[0], locked=True)


def test_rules_that_cannot_be_kept_are_explained_not_crashed(ward, hospital):
    GeneratorSettings.objects.create(department=ward.ward, labour_limits_hard=True)
    LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.nurse,
                               min_minutes_per_period=400 * 60, max_minutes_per_period=400 * 60)

    run = gen.run_generation(gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5).pk,
                             workers=1)

    assert run.state == Generation.State.FAILED
    assert any(hospital.nurse.full_name in line and "hours in period" in line for line in run.explanation)
    assert Job.objects.get(pk=run.job_id).status == Job.Status.FAILED




def test_an_unexpected_failure_fails_the_run_and_its_job(ward, monkeypatch):
    run = gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(gen.sched_solve, "solve", broken)
    with pytest.raises(RuntimeError):
        gen.run_generation(run.pk, workers=1)

    run.refresh_from_db()
    assert run.state == Generation.State.FAILED and "solver crashed" in run.explanation[0]
    assert Job.objects.get(pk=run.job_id).status == Job.Status.FAILED
    assert gen.start_generation(actor=ward.scheduler, schedule=ward.schedule, time_limit=5)  # free again
