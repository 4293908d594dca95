"""One definition of a valid and of a good roster: for random rosters on random small units, the
scheduler's model with every cell fixed is infeasible exactly when the validator refuses the roster
(any breach but a preference), and otherwise its objective equals the validator's penalty."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from staffing import nrp, rules
from staffing.models import LabourRules, ShiftPreference, StaffingRequirement, TimeOff
from staffing.scheduler import model as sched_model
from staffing.scheduler import solve as sched_solve
from tests.records.factories import EmployeeFactory, EmployeeSkillFactory, SkillFactory, UserFactory
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2027, 1, 4)


def random_instance(rng: random.Random, name: str) -> nrp.Instance:
    horizon = rng.choice([7, 14])
    shift_ids = ["D", "E", "N"][: rng.randint(1, 3)]
    shifts = {s: (rng.choice([240, 480, 600]), [t for t in shift_ids if rng.random() < 0.3]) for s in shift_ids}
    loose = rng.random() < 0.5
    staff = []
    for n in range(rng.randint(2, 4)):
        if loose:
            staff.append(nrp.StaffRow(f"S{n}", {s: horizon for s in shift_ids}, 10**6, 0, horizon, 1, 1, horizon))
        else:
            staff.append(nrp.StaffRow(
                f"S{n}", {s: rng.randint(0, horizon) for s in shift_ids}, rng.randint(1500, 6000),
                rng.randint(0, 1500), rng.randint(3, 6), rng.randint(1, 3), rng.randint(1, 3), rng.randint(0, 2),
            ))
    ids = [row.id for row in staff]
    days_off = {} if loose else {s: rng.sample(range(horizon), 2) for s in ids if rng.random() < 0.5}
    requests = [(rng.choice(ids), rng.randrange(horizon), rng.choice(shift_ids), rng.randint(1, 3))
                for _ in range(6)]
    on = list({(s, d, t): w for s, d, t, w in requests[:3]}.items())
    off = list({(s, d, t): w for s, d, t, w in requests[3:] if (s, d, t) not in dict(on)}.items())
    cover = [(d, s, rng.randint(0, 3), 100, 1) for d in range(horizon) for s in shift_ids]
    return nrp.Instance(
        name=name, horizon=horizon, shifts=shifts, staff=staff, days_off=days_off,
        on_requests=[(*k, w) for k, w in on], off_requests=[(*k, w) for k, w in off], cover=cover,
    )


def random_cells(rng: random.Random, ctx: rules.RosterContext, density: float) -> list[rules.Cell]:
    cells = []
    for employee_id in sorted(ctx.employees):
        for day in ctx.days:
            if rng.random() < density:
                cells.append(rules.Cell(employee_id, day, rng.choice(sorted(ctx.shift_types))))
    return cells


def fixed_model(ctx, cells, **options):
    built = sched_model.build(ctx, keep=cells, fix_all=True, **options)
    return sched_solve.solve(built, time_limit=10, workers=1, lns=False)


def assert_same_verdict(ctx, cells, **options):
    refused = sched_model.refused(rules.check_roster(ctx, cells))
    outcome = fixed_model(ctx, cells, **options)
    assert (outcome.status == "infeasible") == bool(refused), refused
    if not refused:
        assert outcome.status == "optimal"
        assert outcome.score == sched_model.penalty(ctx, cells, **options)
    return bool(refused)


def test_the_model_prices_and_refuses_random_rosters_as_the_validator_does():
    rng = random.Random(20270104)
    author = UserFactory()
    verdicts = []
    for unit in range(8):
        imported = nrp.import_instance(random_instance(rng, f"R{unit}"), start=MONDAY, created_by=author,
                                       code=f"RND{unit}")
        ctx = rules.load_context(imported.schedule)
        for _ in range(6):
            verdicts.append(assert_same_verdict(ctx, random_cells(rng, ctx, rng.choice([0.2, 0.4, 0.7]))))
        verdicts.append(assert_same_verdict(ctx, []))
    assert True in verdicts and False in verdicts  # both refused and accepted rosters were compared


def test_rest_nights_weekly_hours_skills_time_off_and_fairness_are_priced_alike(roster, hospital):
    """On a real ward: day, late and night shifts, minimum rest, nights in a row, weekly hours, a skill,
    time off, a skill-specific requirement, and the fairness term."""
    rng = random.Random(7)
    hospital_rules(min_rest_hours=Decimal(11), max_consecutive_nights=2, max_weekly_minutes=40 * 60)
    icu = SkillFactory(name="Telemetry")
    nurses = [hospital.nurse, hospital.staff_employee]
    nurses += [EmployeeFactory(department=roster.ward, fte=Decimal(fte)) for fte in ("0.5", "0.8")]
    EmployeeSkillFactory(employee=nurses[0], skill=icu)
    LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=nurses[1], max_weekends_per_period=2,
                               max_consecutive_days=5, min_consecutive_days_off=2)
    roster.night.required_skill = None
    roster.late.required_skill = icu
    roster.late.save()
    TimeOff.objects.create(employee=nurses[2], start_date=roster.days[3], end_date=roster.days[5],
                           status=TimeOff.Status.APPROVED, requested_by=hospital.users["admin"])
    ShiftPreference.objects.create(employee=nurses[3], date=roster.days[1], shift_type=roster.day,
                                   kind=ShiftPreference.Kind.WANT, priority=4)
    for weekday in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=2)
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.night, weekday=weekday,
                                           required_count=1, under_weight=50, over_weight=3)
    StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=2, skill=icu,
                                       required_count=1)
    ctx = rules.load_context(roster.schedule)
    verdicts = []
    for _ in range(12):
        cells = random_cells(rng, ctx, rng.choice([0.1, 0.25, 0.5]))
        verdicts.append(assert_same_verdict(ctx, cells, fairness_weight=3))
    verdicts.append(assert_same_verdict(ctx, [], fairness_weight=3))
    assert False in verdicts and True in verdicts


def test_a_repair_prices_every_changed_cell():
    rng = random.Random(3)
    imported = nrp.import_instance(random_instance(rng, "C"), start=MONDAY, created_by=UserFactory(), code="CHG")
    ctx = rules.load_context(imported.schedule)
    for _ in range(5):
        before, after = random_cells(rng, ctx, 0.3), random_cells(rng, ctx, 0.3)
        assert_same_verdict(ctx, after, previous=before, change_weight=7)
