"""Symmetry breaking between interchangeable people orders their rows without losing the best roster:
the optimum is the same with and without it, and people who differ (a request, a contract) are left
alone."""

import pytest

from staffing import nrp, rules
from staffing.scheduler import model as sched_model
from staffing.scheduler import solve as sched_solve
from tests.records.factories import UserFactory
from tests.staffing.test_scheduler_model import MONDAY

pytestmark = pytest.mark.django_db


def instance(requests=()):
    row = dict(max_shifts={"D": 14, "N": 4}, max_minutes=5000, min_minutes=2400, max_consecutive=4,
               min_consecutive=2, min_days_off=2, max_weekends=1)
    staff = [nrp.StaffRow(f"S{n}", **row) for n in range(4)]
    staff.append(nrp.StaffRow("T", **{**row, "max_weekends": 2}))
    return nrp.Instance(
        name="SYM", horizon=14, shifts={"D": (480, []), "N": (600, ["D"])}, staff=staff,
        on_requests=list(requests),
        cover=[(d, s, 2 if s == "D" else 1, 100, 1) for d in range(14) for s in ("D", "N")],
    )


def optimum(ctx, monkeypatch=None):
    built = sched_model.build(ctx)
    outcome = sched_solve.solve(built, time_limit=20, workers=1, lns=False)
    assert outcome.status == "optimal"
    assert sched_model.refused(rules.check_roster(ctx, outcome.cells)) == []
    return outcome.score, built


def test_ordering_identical_people_keeps_the_optimum(monkeypatch):
    imported = nrp.import_instance(instance(requests=[("S3", 2, "D", 3)]), start=MONDAY, created_by=UserFactory(),
                                   code="SYM")
    ctx = rules.load_context(imported.schedule)
    calls = []
    original = sched_model._lex_at_least
    monkeypatch.setattr(sched_model, "_lex_at_least", lambda *a: calls.append(a) or original(*a))
    with_symmetry, _built = optimum(ctx)
    # S0, S1 and S2 are interchangeable (two pairs ordered); S3 has a request and T another contract.
    assert len(calls) == 2
    ordered = {v.index for call in calls for row in call[1:] for v in row}
    s3 = imported.employees["S3"].pk
    t = imported.employees["T"].pk
    assert not any(key[0] in (s3, t) for key, var in _built.x.items() if var.index in ordered)
    monkeypatch.setattr(sched_model, "_symmetry", lambda *a: None)
    without, _ = optimum(ctx)
    assert with_symmetry == without
