"""The auto-scheduler on the largest demo unit, on a database seeded at large scale (`make bench` first):

    DATABASE_URL=postgres://…/hospital_ops_bench .venv/bin/python bench/generation.py [--time-limit 60]

Picks the rostered unit with the most active staff and its fullest 28-day roster (as bench/run.py does),
builds the model from the rule catalogue with no cell kept, as "generate, keep nothing" does, solves it for the
time limit on `SCHEDULER_WORKERS` workers, and prints one JSON object: the size of the model, the time to the
first roster, the score at the limit and the validator's price of the roster before and after. Nothing is
written to the database; bench/generation.json holds the last run's output."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count, Q

    from records.models import Employee
    from staffing import rules
    from staffing.generation_services import fairness_weight_of, limit_weight_of, roster_cells
    from staffing.models import Schedule
    from staffing.scheduler import model as sched_model
    from staffing.scheduler import solve as sched_solve

    active = Q(department__employees__status=Employee.Status.ACTIVE)
    largest = (Schedule.objects.values("department_id")
               .annotate(staff=Count("department__employees", filter=active, distinct=True))
               .order_by("-staff").first())
    schedule = (Schedule.objects.filter(department_id=largest["department_id"])
                .annotate(cells=Count("assignments")).order_by("-cells", "-start_date")
                .select_related("department").first())
    started = time.perf_counter()
    ctx = rules.load_context(schedule)
    before = roster_cells(schedule)
    limit_weight, fairness_weight = limit_weight_of(schedule.department), fairness_weight_of(schedule.department)
    built = sched_model.build(ctx, fairness_weight=fairness_weight, limit_weight=limit_weight)
    prepared = time.perf_counter() - started
    outcome = sched_solve.solve(built, time_limit=options.time_limit, workers=settings.SCHEDULER_WORKERS,
                                seed=options.seed)
    def price(cells) -> int:
        return sched_model.penalty(ctx, cells, fairness_weight=fairness_weight, limit_weight=limit_weight)

    after_hard = (len(sched_model.refused(rules.check_roster(ctx, outcome.cells), limit_weight=limit_weight))
                  if outcome.found else None)
    print(json.dumps({
        "unit": schedule.department.code, "staff": len(ctx.employees), "days": len(ctx.days),
        "shift_types": len(ctx.shift_types), "roster_cells_before": len(before),
        "variables": len(built.x), "constraints": len(built.model.Proto().constraints),
        "load_and_build_seconds": round(prepared, 2), "time_limit": options.time_limit,
        "workers": settings.SCHEDULER_WORKERS, "status": outcome.status,
        "first_feasible_seconds": outcome.first_feasible_seconds, "seconds": round(outcome.seconds, 1),
        "score_at_limit": outcome.score, "best_bound": outcome.best_bound,
        "price_before": price(before), "price_after": price(outcome.cells) if outcome.found else None,
        "hard_violations_after": after_hard, "cells_after": len(outcome.cells),
        "load_average": os.getloadavg(),
    }, indent=2, default=str))


if __name__ == "__main__":
    main()
