"""Demo data for staffing: shift types, requirements and labour rules per unit, rosters in every
state, time off and preferences; at the `large` scale a year of shift assignments (~500,000).

Rosters are built so that they keep the hard rules: each person works one kind of shift for a
whole roster, in runs of at most five days, never on their approved time off.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count

from records.demo import DemoContext
from records.models import Department, Employee

from .models import (
    CalendarFeed,
    LabourRules,
    PublishedShift,
    Schedule,
    ShiftAssignment,
    ShiftPreference,
    ShiftType,
    ShiftTypeLimit,
    StaffingRequirement,
    TimeOff,
)

ANCHOR = dt.date(2024, 1, 1)  # a Monday: rosters run four weeks from here on
PERIOD = 28
ROSTERED_KINDS = {Department.Kind.UNIT, Department.Kind.CLINICAL, Department.Kind.DIAGNOSTIC, Department.Kind.SUPPORT}
SHIFTS = [  # code, name, start, minutes, paid, night, colour
    ("D", "Day", dt.time(7), 480, 450, False, "#4c78a8"),
    ("E", "Evening", dt.time(15), 480, 450, False, "#f58518"),
    ("N", "Night", dt.time(23), 480, 450, True, "#54577c"),
]
FORBIDDEN = {"N": ["D", "E"], "E": ["D"]}
SHARE = {"D": 0.45, "E": 0.33, "N": 0.22}  # of a unit's staff on each kind of shift


def current_period_start(today: dt.date) -> dt.date:
    return ANCHOR + dt.timedelta(days=PERIOD * ((today - ANCHOR).days // PERIOD))


def rostered_units(ctx: DemoContext) -> list[Department]:
    departments: dict[str, Department] = ctx.data["departments"]
    parents = {d.parent_id for d in departments.values() if d.parent_id}
    return [d for d in departments.values() if d.pk not in parents and d.kind in ROSTERED_KINDS]


def build_setup(ctx: DemoContext) -> None:
    units = rostered_units(ctx)
    shift_types = []
    for unit in units:
        for code, name, start, minutes, paid, night, colour in SHIFTS:
            shift_types.append(
                ShiftType(department=unit, code=code, name=name, start_time=start, duration_minutes=minutes,
                          paid_minutes=paid, is_night=night, colour=colour)
            )
    shift_types = ctx.bulk_create(ShiftType, shift_types)
    by_unit: dict[int, dict[str, ShiftType]] = defaultdict(dict)
    for shift in shift_types:
        by_unit[shift.department_id][shift.code] = shift
    through = ShiftType.forbidden_successors.through
    through.objects.bulk_create([
        through(from_shifttype_id=shifts[before].pk, to_shifttype_id=shifts[after].pk)
        for shifts in by_unit.values()
        for before, afters in FORBIDDEN.items()
        for after in afters
    ])

    staff_count = dict(
        Employee.objects.filter(department__in=units, status=Employee.Status.ACTIVE)
        .values_list("department")
        .annotate(n=Count("pk"))
    )
    requirements = []
    for unit in units:
        people = staff_count.get(unit.pk, 0)
        for code, share in SHARE.items():
            on_shift = max(1, round(people * share * 0.55))
            for weekday in range(7):
                needed = on_shift if weekday < 5 else max(1, round(on_shift * 0.8))
                requirements.append(
                    StaffingRequirement(department=unit, shift_type=by_unit[unit.pk][code], weekday=weekday,
                                        required_count=needed)
                )
    ctx.bulk_create(StaffingRequirement, requirements)

    hospital = LabourRules.objects.create(
        scope=LabourRules.Scope.HOSPITAL, min_rest_hours=11, max_weekly_minutes=40 * 60,
        max_minutes_per_period=168 * 60, max_consecutive_days=5, min_consecutive_days_off=1,
        max_weekends_per_period=3, max_consecutive_nights=4,
    )
    ward = ctx.data["departments"].get("MED-4W")
    if ward is not None:
        ward_rules = LabourRules.objects.create(
            scope=LabourRules.Scope.DEPARTMENT, department=ward, max_consecutive_nights=3
        )
        ShiftTypeLimit.objects.create(rules=ward_rules, shift_type=by_unit[ward.pk]["N"], max_shifts=10)
    ctx.data["shift_types"] = by_unit
    ctx.data["labour_rules"] = hospital
    ctx.log(f"staffing setup: {len(units)} units, {len(shift_types)} shift types, {len(requirements)} requirements")


def _periods(ctx: DemoContext) -> list[dt.date]:
    current = current_period_start(ctx.today)
    past = 12 if ctx.large else 2
    return [current + dt.timedelta(days=PERIOD * n) for n in range(-past, 3)]


def _state(offset: int, unit_index: int) -> str:
    """Past and current rosters are published; the next ones spread over every other state."""
    if offset <= 0:
        return Schedule.Status.PUBLISHED
    if offset == 1:
        return [Schedule.Status.SUBMITTED, Schedule.Status.APPROVED, Schedule.Status.PUBLISHED][unit_index % 3]
    return Schedule.Status.DRAFT


def build_rosters(ctx: DemoContext) -> None:
    rng = ctx.rng
    units = rostered_units(ctx)
    users = ctx.data["users"]
    shift_types: dict[int, dict[str, ShiftType]] = ctx.data["shift_types"]
    periods = _periods(ctx)
    current = current_period_start(ctx.today)
    ward = ctx.data["departments"].get("MED-4W")
    medicine = ctx.data["departments"]["MED"]
    staff = defaultdict(list)
    for employee in Employee.objects.filter(department__in=units, status=Employee.Status.ACTIVE).order_by("pk"):
        staff[employee.department_id].append(employee)

    # Approved time off first, so rosters can keep clear of it; a few requests still waiting.
    time_off, blocked = [], defaultdict(set)
    horizon_start, horizon_end = periods[0], periods[-1] + dt.timedelta(days=PERIOD - 1)
    for unit in units:
        for employee in staff[unit.pk]:
            if rng.random() < 0.35:
                start = horizon_start + dt.timedelta(days=rng.randrange((horizon_end - horizon_start).days - 10))
                end = start + dt.timedelta(days=rng.choice([0, 1, 4, 6, 13]))
                waiting = start > ctx.today + dt.timedelta(days=20) and rng.random() < 0.4
                time_off.append(
                    TimeOff(employee=employee, kind=rng.choice(["vacation", "vacation", "training", "personal"]),
                            start_date=start, end_date=end, requested_by=employee.user or users["ops"],
                            status=TimeOff.Status.REQUESTED if waiting else TimeOff.Status.APPROVED,
                            decided_by=None if waiting else users["head"],
                            decided_at=None if waiting else ctx.moment(min(start, ctx.today) - dt.timedelta(days=14)))
                )
                if not waiting:
                    day = start
                    while day <= end:
                        blocked[employee.pk].add(day)
                        day += dt.timedelta(days=1)
    ctx.bulk_create(TimeOff, time_off)

    schedules = []
    for index, unit in enumerate(units):
        for start in periods:
            offset = (start - current).days // PERIOD
            status = _state(offset, index)
            if unit == ward and offset == 1:
                status = Schedule.Status.SUBMITTED  # waiting for the head of Medicine
            author = users["scheduler"] if unit == ward else users["admin"]
            decider = users["head"] if unit.path.startswith(medicine.path) else users["ops"]
            created = ctx.moment(start - dt.timedelta(days=35))
            rejected = status == Schedule.Status.DRAFT and index % 4 == 0  # sent back once already
            submitted = status != Schedule.Status.DRAFT
            decided = status in (Schedule.Status.APPROVED, Schedule.Status.PUBLISHED)
            schedules.append(
                Schedule(
                    department=unit, start_date=start, end_date=start + dt.timedelta(days=PERIOD - 1),
                    status=status, created_by=author, created_at=created,
                    submitted_by=author if submitted else None,
                    submitted_at=created + dt.timedelta(days=7) if submitted else None,
                    decided_by=decider if decided else None,
                    decided_at=created + dt.timedelta(days=9) if decided else None,
                    first_approved_at=created + dt.timedelta(days=9) if decided else None,
                    published_at=created + dt.timedelta(days=10) if status == Schedule.Status.PUBLISHED else None,
                    rejection_reason="Weekend evenings are short; please rebalance." if rejected else "",
                )
            )
    created_at = [schedule.created_at for schedule in schedules]
    schedules = ctx.bulk_create(Schedule, schedules)
    for schedule, when in zip(schedules, created_at, strict=True):
        schedule.created_at = when  # auto_now_add stamped the seeding moment
    Schedule.objects.bulk_update(schedules, ["created_at"], batch_size=500)

    # Each person keeps one kind of shift and one weekly pattern, so rosters join up without a
    # forbidden succession at their boundaries.
    pattern = {
        e.pk: (rng.choices(list(SHARE), weights=list(SHARE.values()))[0], rng.randrange(7))
        for people in staff.values() for e in people
    }
    assignments = []
    for schedule in schedules:
        unit_shifts = shift_types[schedule.department_id]
        people = staff[schedule.department_id]
        if schedule.status == Schedule.Status.DRAFT and rng.random() < 0.5:
            people = people[: len(people) // 2]  # a draft half filled in
        for employee in people:
            code, first_off = pattern[employee.pk]
            shift = unit_shifts[code]
            days_a_week = max(1, min(5, round(5 * float(employee.fte))))
            # Full-timers now and then pick up a sixth shift in a week: overtime, and a long run.
            extra_weeks = {w for w in range(PERIOD // 7) if days_a_week == 5 and rng.random() < 0.12}
            for n in range(PERIOD):
                day = schedule.start_date + dt.timedelta(days=n)
                slot = (n + first_off) % 7
                extra = slot == days_a_week and n // 7 in extra_weeks
                if (slot >= days_a_week and not extra) or day in blocked[employee.pk]:
                    continue
                starts_at, ends_at = shift.span_on(day)
                assignments.append(
                    ShiftAssignment(schedule=schedule, employee=employee, shift_type=shift, date=day,
                                    starts_at=starts_at, ends_at=ends_at)
                )
    # A year of assignments is the performance dataset: no history rows for it at the large scale.
    ctx.bulk_create(ShiftAssignment, assignments, history=not ctx.large)
    published = {s.pk for s in schedules if s.status == Schedule.Status.PUBLISHED}
    PublishedShift.objects.bulk_create(
        [
            PublishedShift(schedule=a.schedule, employee=a.employee, shift_type=a.shift_type, date=a.date,
                           starts_at=a.starts_at, ends_at=a.ends_at)
            for a in assignments
            if a.schedule.pk in published
        ],
        batch_size=2000,
    )
    ctx.log(f"rosters: {len(schedules)} ({len(assignments)} shift assignments), time off: {len(time_off)}")
    ctx.data["schedules"] = schedules


def build_preferences(ctx: DemoContext) -> None:
    linked = ctx.data.get("linked_employees", {})
    staff = linked.get("staff")
    if staff is None:
        return
    shifts = ctx.data["shift_types"].get(staff.department_id)
    if not shifts:
        return
    next_period = current_period_start(ctx.today) + dt.timedelta(days=PERIOD)
    ctx.bulk_create(ShiftPreference, [
        ShiftPreference(employee=staff, date=next_period + dt.timedelta(days=2), shift_type=shifts["N"],
                        kind=ShiftPreference.Kind.AVOID, priority=5),
        ShiftPreference(employee=staff, date=next_period + dt.timedelta(days=9), shift_type=shifts["D"],
                        kind=ShiftPreference.Kind.WANT, priority=3),
    ])


STEPS = [build_setup, build_rosters, build_preferences]


def flush() -> None:
    for model in (ShiftAssignment, ShiftPreference, TimeOff, CalendarFeed, Schedule, StaffingRequirement,
                  ShiftTypeLimit, LabourRules):
        model.objects.all().delete()
        model.history.model.objects.all().delete()
    ShiftType.forbidden_successors.through.objects.all().delete()
    ShiftType.objects.all().delete()
    ShiftType.history.model.objects.all().delete()

