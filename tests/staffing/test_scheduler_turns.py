"""The auto-scheduler's turns (the whole model, then neighbourhoods of the best roster) on a benchmark unit:
the roster it returns is its best, valid and priced as the model prices it, and a cancellation during the
neighbourhoods still returns that best roster promptly."""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.conf import settings

from records.models import Employee, JobTitle
from staffing import nrp, rules
from staffing.generation_services import limit_weight_of
from staffing.scheduler import model as sched_model
from staffing.scheduler import solve as sched_solve
from tests.records.factories import UserFactory

INSTANCES = Path(settings.BASE_DIR).parent / "shared" / "nrp" / "instances"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (INSTANCES / "Instance2.txt").exists(), reason=f"no benchmark instances at {INSTANCES}"),
]


def built_instance(name: str):
    instance = nrp.parse_instance(INSTANCES / f"{name}.txt")
    imported = nrp.import_instance(instance, start=dt.date(2027, 1, 4), created_by=UserFactory())
    job = JobTitle.objects.create(code="NRPTURN", name="Benchmark nurse")
    Employee.objects.filter(pk__in=[e.pk for e in imported.employees.values()]).update(job_title=job)
    ctx = rules.load_context(imported.schedule)
    limit_weight = limit_weight_of(imported.schedule.department)
    return ctx, sched_model.build(ctx, limit_weight=limit_weight), limit_weight


def test_it_returns_its_best_roster_valid_and_priced_as_the_model_prices_it():
    ctx, built, limit_weight = built_instance("Instance2")

    outcome = sched_solve.solve(built, time_limit=5, workers=2, seed=3)

    assert outcome.found
    assert outcome.seconds < 6.5
    assert outcome.score == min(score for _elapsed, score in outcome.history)
    assert sched_model.penalty(ctx, outcome.cells, limit_weight=limit_weight) == outcome.score
    assert sched_model.refused(rules.check_roster(ctx, outcome.cells), limit_weight=limit_weight) == []
    assert outcome.best_bound is not None and outcome.best_bound <= outcome.score


def test_a_cancellation_after_the_first_turn_keeps_the_best_roster():
    ctx, built, limit_weight = built_instance("Instance5")
    started = time.monotonic()

    # The whole model's first turn lasts at most a quarter of the limit (5 s here).
    outcome = sched_solve.solve(built, time_limit=20, workers=2, seed=1, tick=0.2,
                                should_stop=lambda: time.monotonic() - started > 8)

    assert outcome.stopped
    assert outcome.found
    assert time.monotonic() - started < 12
    assert outcome.score == min(score for _elapsed, score in outcome.history)
    assert sched_model.refused(rules.check_roster(ctx, outcome.cells), limit_weight=limit_weight) == []
