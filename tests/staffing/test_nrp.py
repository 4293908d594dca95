"""The benchmark instances in ../shared/nrp are expressed faithfully by the staffing model: imported,
their rosters are priced and judged by `staffing.rules` exactly as the benchmark's own definition
(computed independently here, straight from the file) prices and judges them."""

import datetime as dt
import random
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from staffing import nrp, rules
from tests.records.factories import UserFactory

INSTANCES = Path(settings.BASE_DIR).parent / "shared" / "nrp" / "instances"
FILES = sorted(INSTANCES.glob("Instance*.txt"), key=lambda p: int(p.stem.removeprefix("Instance")))

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not FILES, reason=f"no benchmark instances at {INSTANCES}"),
]
MONDAY = dt.date(2027, 1, 4)


def random_roster(instance: nrp.Instance, seed: int) -> dict[tuple[str, int], str]:
    """At most one shift a day per nurse, about 60 % of days worked."""
    rng = random.Random(seed)
    ids = list(instance.shifts)
    return {
        (row.id, d): rng.choice(ids)
        for row in instance.staff
        for d in range(instance.horizon)
        if rng.random() < 0.6
    }


def benchmark_price(instance: nrp.Instance, roster: dict[tuple[str, int], str]) -> int:
    price = sum(w for s, d, t, w in instance.on_requests if roster.get((s, d)) != t)
    price += sum(w for s, d, t, w in instance.off_requests if roster.get((s, d)) == t)
    staffed = Counter((d, t) for (_, d), t in roster.items())
    for d, t, need, under, over in instance.cover:
        have = staffed[(d, t)]
        price += under * max(0, need - have) + over * max(0, have - need)
    return price


def benchmark_breaches(instance: nrp.Instance, roster: dict[tuple[str, int], str]) -> Counter:
    """Hard rules 2-9 of FORMAT.md, counted the way staffing.rules reports them."""
    found = Counter()
    horizon = instance.horizon
    for row in instance.staff:
        worked = [roster.get((row.id, d)) for d in range(horizon)]
        for d in range(horizon - 1):
            if worked[d] and worked[d + 1] and worked[d + 1] in instance.shifts[worked[d]][1]:
                found["succession"] += 1
        for shift_id, limit in row.max_shifts.items():
            if worked.count(shift_id) > limit:
                found["max_shifts"] += 1
        minutes = sum(instance.shifts[s][0] for s in worked if s)
        found["max_minutes"] += minutes > row.max_minutes
        found["min_minutes"] += minutes < row.min_minutes
        runs, start = [], 0
        for d in range(1, horizon + 1):
            if d == horizon or bool(worked[d]) != bool(worked[start]):
                runs.append((bool(worked[start]), d - start, start > 0 and d < horizon))
                start = d
        for on, length, inner in runs:
            found["max_consecutive"] += on and length > row.max_consecutive
            found["min_consecutive"] += on and inner and length < row.min_consecutive
            found["min_days_off"] += (not on) and inner and length < row.min_days_off
        weekends = sum(1 for w in range(horizon // 7) if worked[7 * w + 5] or worked[7 * w + 6])
        found["max_weekends"] += weekends > row.max_weekends
        found["time_off"] += sum(1 for d in instance.days_off.get(row.id, []) if worked[d])
    return +found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_it_expresses_the_instance_and_prices_rosters_like_the_benchmark(path):
    instance = nrp.parse_instance(path)
    imported = nrp.import_instance(instance, start=MONDAY, created_by=UserFactory())
    schedule = imported.schedule
    assert len(schedule.days) == instance.horizon
    assert schedule.department.staffing_requirements.count() == len(instance.cover)
    assert imported.shift_types.keys() == instance.shifts.keys()

    roster = random_roster(instance, seed=len(instance.staff))
    cells = [
        rules.Cell(imported.employees[s].pk, imported.day(d), imported.shift_types[t].pk)
        for (s, d), t in roster.items()
    ]
    ctx = rules.load_context(schedule)
    price, violations = nrp.score(ctx, cells)

    breaches = benchmark_breaches(instance, roster)
    assert breaches, "a random roster breaks some rule; the comparison must not be empty"
    assert price == benchmark_price(instance, roster)
    assert Counter(v.rule for v in violations) == breaches


def test_an_empty_roster_costs_every_wanted_shift_and_all_cover():
    instance = nrp.parse_instance(FILES[0])
    imported = nrp.import_instance(instance, start=MONDAY, created_by=UserFactory())
    price, _ = nrp.score(rules.load_context(imported.schedule), [])
    expected = sum(w for *_, w in instance.on_requests) + sum(need * under for _, _, need, under, _ in instance.cover)
    assert price == expected


def test_it_refuses_a_horizon_not_starting_on_monday():
    instance = nrp.parse_instance(FILES[0])
    with pytest.raises(ValueError):
        nrp.import_instance(instance, start=MONDAY + dt.timedelta(days=1), created_by=UserFactory())
