"""Demo data for staffing: shift types, requirements and labour rules per unit, rosters in every
state, time off and preferences; at the `large` scale a year of shift assignments (~500,000).

Each person follows a rotation (a week of days, a week of evenings, a week of nights…) laid over the
whole demo period at once, so rosters join up at their boundaries. Their line keeps the hard rules
and, nearly always, the soft ones: at most five days and three nights in a row, a day off before a
change the rules forbid, two weekends in four, their hours a week; now and then a full-timer picks
up a sixth shift (overtime). Nobody works before they were hired, after they leave, on approved time
off, or (on a roster past draft) without the licence their job requires that day: the drafts keep a
few such cells, to show the rule refusing them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from records.demo import DemoContext
from records.models import Credential, Department, Employee, JobTitle, credential_in_force

from . import ratio_demo
from .models import (
    CalendarFeed,
    HppdTarget,
    LabourRules,
    PublishedShift,
    Schedule,
    ShiftAssignment,
    ShiftPreference,
    ShiftType,
    ShiftTypeLimit,
    StaffingRatio,
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
ROTATION = ["D", "D", "E", "N", "E", "D"]  # a person's shift, week by week from their own starting week
SHARE = {code: ROTATION.count(code) / len(ROTATION) for code, *_ in SHIFTS}  # of a unit's staff on each
MOST_DAYS, MOST_NIGHTS, MOST_WEEKENDS = 5, 3, 2  # in a row, in a row, in a four-week roster
EXTRA_SHIFT = 0.03  # chance that a full-timer picks up a sixth shift in a roster's week (overtime)
FLAGGED_PER_DRAFT = 3  # cells a draft keeps for someone whose required licence is not in force


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
            on_shift = max(1, round(people * share * 0.5))
            for weekday in range(7):
                needed = on_shift if weekday < 5 else max(1, round(on_shift * 0.7))
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


def _decider(ctx: DemoContext, unit: Department):
    """Who decides for a unit: the head of its department when that head has a demo login, else ops."""
    departments, users = ctx.data["departments"], ctx.data["users"]
    for code, username in (("MED", "head"), ("SURG", "head.surgery")):
        if code in departments and unit.path.startswith(departments[code].path):
            return users[username]
    return users["ops"]


def _licensed_days(employees: list[Employee]):
    """A test for each employee: does every credential their job requires cover that day?"""
    required: dict[int, set[int]] = defaultdict(set)
    for job_id, type_id in JobTitle.required_credentials.through.objects.values_list(
        "jobtitle_id", "credentialtype_id"
    ):
        required[job_id].add(type_id)
    held: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for employee_id, type_id, issued, expiry in Credential.objects.filter(
        employee__in=employees
    ).values_list("employee_id", "credential_type_id", "issued_on", "expiry_date"):
        held[(employee_id, type_id)].append((issued, expiry))

    def licensed(employee: Employee, day: dt.date) -> bool:
        return all(
            any(credential_in_force(issued, expiry, day) for issued, expiry in held[(employee.pk, type_id)])
            for type_id in required[employee.job_title_id]
        )

    return licensed


def _line(ctx: DemoContext, employee: Employee, first: dt.date, last: dt.date, blocked: set[dt.date]):
    """One person's shifts from `first` to `last` (a Monday, a Sunday): {day: shift code}."""
    rng = ctx.rng
    start_week = rng.randrange(len(ROTATION))
    per_week = max(1, min(5, round(5 * float(employee.fte))))
    line: dict[dt.date, str] = {}
    run = nights = this_week = weekends = 0
    extra_week = False
    day = first
    while day <= last:
        index = (day - ANCHOR).days
        if day.weekday() == 0:
            this_week = 0
            extra_week = per_week == 5 and rng.random() < EXTRA_SHIFT
        if index % PERIOD == 0:
            weekends = 0
        code = ROTATION[(index // 7 + start_week) % len(ROTATION)]
        yesterday = line.get(day - dt.timedelta(days=1))
        new_weekend = day.weekday() == 5 or (day.weekday() == 6 and yesterday is None)
        can_work = (
            day not in blocked
            and employee.hire_date <= day
            and (employee.termination_date is None or day <= employee.termination_date)
            and run < MOST_DAYS
            and this_week < per_week + extra_week
            and not (code == "N" and nights >= MOST_NIGHTS)
            and code not in FORBIDDEN.get(yesterday, ())
            and not (new_weekend and weekends >= MOST_WEEKENDS)
        )
        needed, left = per_week + extra_week - this_week, 7 - day.weekday()
        if can_work and (needed >= left or rng.random() < needed / left):
            line[day] = code
            run, this_week = run + 1, this_week + 1
            nights = nights + 1 if code == "N" else 0
            weekends += new_weekend
        else:
            run = nights = 0
        day += dt.timedelta(days=1)
    return line


def build_rosters(ctx: DemoContext) -> None:
    rng = ctx.rng
    now = timezone.now()
    units = rostered_units(ctx)
    users = ctx.data["users"]
    shift_types: dict[int, dict[str, ShiftType]] = ctx.data["shift_types"]
    periods = _periods(ctx)
    current = current_period_start(ctx.today)
    ward = ctx.data["departments"].get("MED-4W")
    staff = defaultdict(list)
    for employee in Employee.objects.filter(department__in=units, status=Employee.Status.ACTIVE).order_by("pk"):
        staff[employee.department_id].append(employee)

    # Approved time off first, so rosters can keep clear of it; a few requests still waiting. Each was
    # asked for a few days to weeks before it was decided, and nothing is dated after now.
    time_off, blocked = [], defaultdict(set)
    horizon_start, horizon_end = periods[0], periods[-1] + dt.timedelta(days=PERIOD - 1)
    for unit in units:
        for employee in staff[unit.pk]:
            if rng.random() < 0.35:
                start = horizon_start + dt.timedelta(days=rng.randrange((horizon_end - horizon_start).days - 10))
                end = start + dt.timedelta(days=rng.choice([0, 1, 4, 6, 13]))
                waiting = start > ctx.today + dt.timedelta(days=20) and rng.random() < 0.4
                if waiting:
                    asked, decided = ctx.moment(ctx.today - dt.timedelta(days=rng.randint(0, 10)), not_after=now), None
                else:
                    decided = ctx.moment(min(start, ctx.today) - dt.timedelta(days=rng.randint(7, 21)), not_after=now)
                    asked = ctx.moment(decided.date() - dt.timedelta(days=rng.randint(1, 10)), not_after=decided)
                request = TimeOff(
                    employee=employee, kind=rng.choice(["vacation", "vacation", "training", "personal"]),
                    start_date=start, end_date=end, requested_by=employee.user or users["ops"],
                    status=TimeOff.Status.REQUESTED if waiting else TimeOff.Status.APPROVED,
                    decided_by=None if waiting else _decider(ctx, unit), decided_at=decided,
                )
                request.asked = asked
                time_off.append(request)
                if not waiting:
                    day = start
                    while day <= end:
                        blocked[employee.pk].add(day)
                        day += dt.timedelta(days=1)
    asked_at = [request.asked for request in time_off]
    time_off = ctx.bulk_create(TimeOff, time_off)
    for request, when in zip(time_off, asked_at, strict=True):
        request.requested_at = when  # auto_now_add stamped the seeding moment
    TimeOff.objects.bulk_update(time_off, ["requested_at"], batch_size=500)

    schedules = []
    for index, unit in enumerate(units):
        for start in periods:
            offset = (start - current).days // PERIOD
            status = _state(offset, index)
            if unit == ward and offset == 1:
                status = Schedule.Status.SUBMITTED  # waiting for the head of Medicine
            author = users["scheduler"] if unit == ward else users["admin"]
            # Drafted five weeks ahead, submitted a week later, decided two days after, published the
            # next day; never later than now, and never out of that order.
            created = ctx.moment(start - dt.timedelta(days=35), not_after=now)
            submitted = ctx.moment(start - dt.timedelta(days=28), not_after=now)
            decided = ctx.moment(start - dt.timedelta(days=26), not_after=now)
            published = ctx.moment(start - dt.timedelta(days=25), not_after=now)
            submitted, decided, published = max(submitted, created), max(decided, submitted, created), max(
                published, decided, submitted, created)
            rejected = status == Schedule.Status.DRAFT and index % 4 == 0  # sent back once already
            was_submitted = status != Schedule.Status.DRAFT
            was_decided = status in (Schedule.Status.APPROVED, Schedule.Status.PUBLISHED)
            schedules.append(
                Schedule(
                    department=unit, start_date=start, end_date=start + dt.timedelta(days=PERIOD - 1),
                    status=status, created_by=author, created_at=created,
                    submitted_by=author if was_submitted else None,
                    submitted_at=submitted if was_submitted else None,
                    decided_by=_decider(ctx, unit) if was_decided else None,
                    decided_at=decided if was_decided else None,
                    first_approved_at=decided if was_decided else None,
                    published_at=published if status == Schedule.Status.PUBLISHED else None,
                    rejection_reason="Weekend evenings are short; please rebalance." if rejected else "",
                )
            )
    created_at = [schedule.created_at for schedule in schedules]
    schedules = ctx.bulk_create(Schedule, schedules)
    for schedule, when in zip(schedules, created_at, strict=True):
        schedule.created_at = when  # auto_now_add stamped the seeding moment
    Schedule.objects.bulk_update(schedules, ["created_at"], batch_size=500)

    everyone = [e for people in staff.values() for e in people]
    lines = {e.pk: _line(ctx, e, horizon_start, horizon_end, blocked[e.pk]) for e in everyone}
    licensed = _licensed_days(everyone)
    assignments = []
    for schedule in schedules:
        unit_shifts = shift_types[schedule.department_id]
        people = staff[schedule.department_id]
        is_draft = schedule.status == Schedule.Status.DRAFT
        if is_draft and rng.random() < 0.5:
            people = people[: len(people) // 2]  # a draft half filled in
        flagged = 0
        for employee in people:
            for n in range(PERIOD):
                day = schedule.start_date + dt.timedelta(days=n)
                code = lines[employee.pk].get(day)
                if code is None:
                    continue
                if not licensed(employee, day):
                    if not is_draft or flagged >= FLAGGED_PER_DRAFT:
                        continue
                    flagged += 1  # left on the draft: the roster page shows it refused
                shift = unit_shifts[code]
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




def _build_generator(ctx: DemoContext) -> None:
    from .scheduler_demo import build_generator

    build_generator(ctx)


STEPS = [build_setup, build_rosters, build_preferences, _build_generator, *ratio_demo.STEPS]


def flush() -> None:
    for model in (StaffingRatio, HppdTarget, ShiftAssignment, ShiftPreference, TimeOff, CalendarFeed, Schedule,
                  StaffingRequirement, ShiftTypeLimit, LabourRules):
        model.objects.all().delete()
        model.history.model.objects.all().delete()
    ShiftType.forbidden_successors.through.objects.all().delete()
    ShiftType.objects.all().delete()
    ShiftType.history.model.objects.all().delete()

