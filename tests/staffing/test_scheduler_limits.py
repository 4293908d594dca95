"""Soft labour limits as weighted terms: by default the generator prices each breach the validator
reports (one definition of a roster's price, proved on random rosters as for the hard rules); a unit
may keep them as hard instead, and a benchmark unit does."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from staffing import generation_services as gen
from staffing import nrp, rules
from staffing.models import Generation, GeneratorSettings, LabourRules, StaffingRequirement
from staffing.scheduler import model as sched_model
from staffing.scheduler import solve as sched_solve
from tests.records.factories import UserFactory
from tests.staffing.factories import hospital_rules
from tests.staffing.test_generation_pages import client_for
from tests.staffing.test_scheduler_model import MONDAY, random_cells, random_instance

pytestmark = pytest.mark.django_db
WEIGHT = 37


def verdict(ctx, cells, limit_weight):
    built = sched_model.build(ctx, keep=cells, fix_all=True, limit_weight=limit_weight)
    return sched_solve.solve(built, time_limit=10, workers=1, lns=False)


def test_weighted_limits_price_each_breach_as_the_validator_counts_them():
    rng = random.Random(20270111)
    author = UserFactory()
    breaches = 0
    for unit in range(6):
        imported = nrp.import_instance(random_instance(rng, f"W{unit}"), start=MONDAY, created_by=author,
                                       code=f"WGT{unit}")
        ctx = rules.load_context(imported.schedule)
        for _ in range(6):
            cells = random_cells(rng, ctx, rng.choice([0.2, 0.5, 0.8]))
            violations = rules.check_roster(ctx, cells)
            outcome = verdict(ctx, cells, WEIGHT)
            hard = sched_model.refused(violations, limit_weight=WEIGHT)
            assert all(v.rule.is_hard for v in hard)
            assert (outcome.status == "infeasible") == bool(hard), hard
            if not hard:
                assert outcome.status == "optimal"
                assert outcome.score == sched_model.penalty(ctx, cells, limit_weight=WEIGHT)
                breaches += sum(1 for v in violations if sched_model.labour_limit(v.rule))
    assert breaches > 0  # rosters breaking labour limits were priced, not refused


@pytest.fixture
def short_ward(roster, hospital):
    """Two nurses, at most two days in a row, and one needed on days every day: covering every day
    takes a run of three somewhere."""
    hospital_rules(min_rest_hours=Decimal(11), max_consecutive_days=2)
    for weekday in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=2)
    roster.scheduler = hospital.users["scheduler_med"]
    return roster


def breaches_of(schedule):
    ctx = rules.load_context(schedule)
    return [v for v in rules.check_roster(ctx, gen.roster_cells(schedule)) if sched_model.labour_limit(v.rule)]


def test_by_default_a_breach_costs_its_weight_and_buys_coverage(short_ward):
    run = gen.start_generation(actor=short_ward.scheduler, schedule=short_ward.schedule, keep="none", time_limit=5)
    assert run.limit_weight == sched_model.DEFAULT_LIMIT_WEIGHT
    run = gen.run_generation(run.pk, workers=1, tick=0.5)
    assert run.state == Generation.State.PROPOSED and run.hard_violations == 0
    assert any(v.rule == rules.Rule.MAX_CONSECUTIVE for v in breaches_of(short_ward.schedule))


def test_a_unit_that_keeps_its_limits_hard_gets_no_breach(short_ward):
    GeneratorSettings.objects.create(department=short_ward.ward, labour_limits_hard=True)
    run = gen.start_generation(actor=short_ward.scheduler, schedule=short_ward.schedule, keep="none", time_limit=5)
    assert run.limit_weight is None
    run = gen.run_generation(run.pk, workers=1, tick=0.5)
    assert run.state == Generation.State.PROPOSED and run.hard_violations == 0
    assert breaches_of(short_ward.schedule) == []


def test_an_unkeepable_limit_is_priced_when_weighted(short_ward, hospital):
    LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.nurse,
                               min_minutes_per_period=400 * 60, max_minutes_per_period=400 * 60)
    run = gen.run_generation(gen.start_generation(actor=short_ward.scheduler, schedule=short_ward.schedule,
                                                  time_limit=5).pk, workers=1)
    assert run.state == Generation.State.PROPOSED and run.hard_violations == 0
    assert any(v.rule == rules.Rule.MIN_MINUTES and v.employee_id == hospital.nurse.pk
               for v in breaches_of(short_ward.schedule))


def test_the_head_sets_the_limits_on_the_generate_page(short_ward, hospital):
    url = reverse("staffing:generator-settings", args=[short_ward.schedule.pk])
    page = reverse("staffing:schedule-generate", args=[short_ward.schedule.pk])
    head = client_for(hospital.users["head_med"])
    assert b"Treat soft labour limits as hard" in head.get(page).content
    assert client_for(short_ward.scheduler).post(
        url, {"fairness_weight": 3, "labour_limits_hard": "on"}).status_code == 404  # heads only
    assert client_for(hospital.users["head_surg"]).post(
        url, {"fairness_weight": 3, "labour_limits_hard": "on"}).status_code == 404  # another unit
    assert not GeneratorSettings.objects.exists()
    head.post(url, {"fairness_weight": 3, "labour_limit_weight": 5000})
    assert not GeneratorSettings.objects.exists()  # refused, nothing changed
    assert head.post(url, {"fairness_weight": 3, "labour_limits_hard": "on"}).status_code == 302
    found = GeneratorSettings.objects.get(department=short_ward.ward)
    assert found.labour_limits_hard and found.limit_weight is None
    assert found.history.count() == 1
    assert head.post(url, {"fairness_weight": 3, "labour_limit_weight": 80}).status_code == 302
    found.refresh_from_db()
    assert not found.labour_limits_hard and found.limit_weight == 80
    assert gen.start_generation(actor=short_ward.scheduler, schedule=short_ward.schedule,
                                time_limit=5).limit_weight == 80


def test_a_benchmark_unit_keeps_the_benchmarks_hard_limits():
    instance = nrp.Instance(name="T", horizon=7, shifts={"D": (480, [])},
                            staff=[nrp.StaffRow("A", {"D": 7}, 3000, 0, 5, 1, 1, 1)])
    imported = nrp.import_instance(instance, start=MONDAY, created_by=UserFactory(), code="HARDT")
    assert GeneratorSettings.objects.get(department=imported.schedule.department).labour_limits_hard
    assert gen.limit_weight_of(imported.schedule.department) is None
    assert imported.schedule.start_date == MONDAY == dt.date(2027, 1, 4)
