"""The nurse-rostering benchmark solved through the product's own path: the instance is imported as a
scratch unit (`staffing.nrp`), its roster generated, scored by the validator, and the scratch unit
rolled back, so any database (SQLite included) is left as it was."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from records.models import Employee, JobTitle

from .. import nrp, rules
from ..generation_services import limit_weight_of
from . import model as sched_model
from . import solve as sched_solve
from .explain import explain_infeasible

START = dt.date(2027, 1, 4)  # a Monday


class _Rollback(Exception):
    pass


def solve_instance(path: Path, *, time_limit: float = 60, workers: int = 2, seed: int = 0,
                   deterministic: bool = False) -> tuple[dict, list[tuple[str, int, str]]]:
    """(the JSON line's fields, the roster as (employee id, day, shift id) rows with the file's ids)."""
    instance = nrp.parse_instance(path)
    found: dict = {}
    try:
        with transaction.atomic():
            author = get_user_model().objects.create(username=f"nrp-{secrets.token_hex(6)}", is_active=False)
            imported = nrp.import_instance(instance, start=START, created_by=author,
                                           code=f"NRP{secrets.token_hex(4)}")
            # The benchmark knows no licences: its nurses hold a job of their own, whatever the
            # database's registered nurses must hold.
            token = secrets.token_hex(4).upper()
            job = JobTitle.objects.create(code=f"NRP{token}", name=f"Benchmark nurse {token}")
            Employee.objects.filter(pk__in=[e.pk for e in imported.employees.values()]).update(job_title=job)
            ctx = rules.load_context(imported.schedule)
            limit_weight = limit_weight_of(imported.schedule.department)
            built = sched_model.build(ctx, limit_weight=limit_weight)
            outcome = sched_solve.solve(built, time_limit=time_limit, workers=workers, seed=seed,
                                        deterministic=deterministic)
            staff_ids = {e.pk: sid for sid, e in imported.employees.items()}
            shift_ids = {s.pk: sid for sid, s in imported.shift_types.items()}
            if outcome.found:
                score, violations = nrp.score(ctx, outcome.cells)
                hard = len(sched_model.refused(violations, limit_weight=limit_weight))
            else:
                score, hard = None, None
            found["line"] = {
                "instance": instance.name,
                "status": outcome.status,
                "score": score,
                "hard_violations": hard,
                "seconds": outcome.seconds,
                "best_bound": outcome.best_bound,
                "first_feasible_seconds": outcome.first_feasible_seconds,
            }
            if outcome.status == "infeasible":
                found["line"]["explanation"] = [
                    item.message for item in explain_infeasible(ctx, seconds=min(2.0, time_limit),
                                                                  limit_weight=limit_weight)
                ]
            found["rows"] = sorted(
                (staff_ids[c.employee_id], (c.date - START).days, shift_ids[c.shift_type_id]) for c in outcome.cells
            )
            raise _Rollback
    except _Rollback:
        pass
    return found["line"], found["rows"]
