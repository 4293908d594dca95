"""Reads of rosters and their setup, shaped once for the pages, the API and reports.

Every list starts from the model's `visible_to(user)` and loads what its rows show with
select_related / prefetch_related, so a page of fifty rows costs the same queries as one.
`roster_grid` gathers everything one roster page needs (rows, cells, coverage, rule checks and
measures) in a fixed number of queries, whatever the size of the unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hospital_ops import scoping
from records.models import Employee, path_ids

from . import access, rules, services
from .models import (
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
from .requirements import load_requirements

# Lists ------------------------------------------------------------------------------------------


def schedule_list(user) -> QuerySet[Schedule]:
    return Schedule.objects.visible_to(user).select_related("department", "created_by", "submitted_by", "decided_by")


# The order of roster cells in lists, exports and the API; the index `assignment_list_order` matches it.
ASSIGNMENT_ORDER = ("date", "starts_at", "pk")


def assignment_list(user) -> QuerySet[ShiftAssignment]:
    """Shifts of the rosters the user schedules or oversees, and the user's own published shifts."""
    return ShiftAssignment.objects.visible_to(user).select_related(
        "employee", "shift_type", "schedule__department"
    ).order_by(*ASSIGNMENT_ORDER)


def assignment_rows(queryset: QuerySet[ShiftAssignment]):
    """The columns a list of roster cells shows, as plain rows (no model objects: lists run to hundreds
    of thousands of cells), in the list's order."""
    return queryset.values(
        "id", "schedule_id", "schedule__department_id", "employee_id", "employee__first_name",
        "employee__last_name", "shift_type_id", "shift_type__code", "date", "starts_at", "ends_at",
    ).order_by(*ASSIGNMENT_ORDER)


ASSIGNMENT_EXPORT_COLUMNS = (
    _lazy("Date"), _lazy("Shift"), _lazy("Starts"), _lazy("Ends"), _lazy("Number"), _lazy("Employee"),
    _lazy("Unit"), _lazy("Roster status"),
)


def assignment_export_rows(queryset: QuerySet[ShiftAssignment]):
    """Rows of the roster-cell export, in the list's order, read in batches from the database (a server-side
    cursor on PostgreSQL) and written as they come: the same memory for a hundred rows or a million."""
    status = dict(Schedule.Status.choices)
    zone = scoping.hospital_zone()
    rows = queryset.values_list(
        "date", "shift_type__code", "starts_at", "ends_at", "employee__employee_number", "employee__last_name",
        "employee__first_name", "schedule__department__code", "schedule__status",
    ).order_by(*ASSIGNMENT_ORDER)
    for day, code, starts, ends, number, last, first, unit, state in rows.iterator(chunk_size=2000):
        yield [day, code, starts.astimezone(zone).replace(tzinfo=None), ends.astimezone(zone).replace(tzinfo=None),
               number, f"{last}, {first}", unit, status.get(state, state)]


def roster_sheet(schedule: Schedule) -> tuple[list[Employee], dict[tuple[int, dt.date], str], dict[int, float]]:
    """What the roster's CSV and Excel hold, without the rule check the page runs: the rows (as on the
    page), each cell's shift code and each person's hours on this roster, in three queries."""
    employees = sorted(rules.roster_employees(schedule).select_related("job_title"),
                       key=lambda e: (e.last_name, e.first_name, e.pk))
    codes: dict[tuple[int, dt.date], str] = {}
    minutes: dict[int, int] = defaultdict(int)
    for employee_id, day, code, duration in schedule.assignments.values_list(
        "employee_id", "date", "shift_type__code", "shift_type__duration_minutes"
    ):
        codes[(employee_id, day)] = code
        minutes[employee_id] += duration
    return employees, codes, {e.pk: minutes.get(e.pk, 0) / 60 for e in employees}


def time_off_list(user) -> QuerySet[TimeOff]:
    """Requests of the user's departments; a staff member sees only their own."""
    return TimeOff.objects.visible_to(user).select_related(
        "employee__department", "requested_by", "decided_by"
    ).order_by("-start_date", "pk")


def preference_list(user) -> QuerySet[ShiftPreference]:
    return ShiftPreference.objects.visible_to(user).select_related("employee", "shift_type").order_by(
        "date", "shift_type__start_time", "pk"
    )


def _own_unit_ids(user) -> list[int]:
    """The user's own unit and the departments above it (from its materialised path)."""
    path = Employee.objects.filter(user_id=user.pk).values_list("department__path", flat=True).first()
    return path_ids(path)


def shift_types_above(department) -> QuerySet[ShiftType]:
    """Shift types a person of this department can work: its own and those of the departments above it."""
    return ShiftType.objects.filter(department_id__in=department.lineage_ids).order_by("start_time", "code")


def shift_type_list(user) -> QuerySet[ShiftType]:
    """Shift types of the user's departments, plus those of their own unit (staff state their
    preferences against them)."""
    if not user.is_authenticated or access.is_board_only(user):
        return ShiftType.objects.none()
    visible = ShiftType.objects.visible_to(user)
    if access.visible_department_ids(user) is not access.ALL:
        own = _own_unit_ids(user)
        if own:
            visible = visible | ShiftType.objects.filter(department_id__in=own)
    return visible.select_related("department", "required_skill", "required_credential").prefetch_related(
        "forbidden_successors"
    ).order_by("department__path", "start_time", "code", "pk")


def requirement_list(user) -> QuerySet[StaffingRequirement]:
    return StaffingRequirement.objects.visible_to(user).select_related("department", "shift_type", "skill").order_by(
        "department__path", "shift_type__start_time", "on_date", "weekday", "pk"
    )


def ratio_list(user) -> QuerySet[StaffingRatio]:
    """Census-driven staffing ratios of the user's units, newest first within a shift."""
    return StaffingRatio.objects.visible_to(user).select_related("department", "shift_type", "skill").order_by(
        "department__path", "shift_type__start_time", "shift_type__code", "skill__name", "-effective_from", "pk"
    )


def hppd_target_list(user) -> QuerySet[HppdTarget]:
    return HppdTarget.objects.visible_to(user).select_related("department").order_by(
        "department__path", "-effective_from", "pk"
    )


def labour_rules_list(user) -> QuerySet[LabourRules]:
    """The hospital default, the rules of the user's units and the contracts of their staff (and the
    user's own contract)."""
    return LabourRules.objects.visible_to(user).select_related("department", "employee").prefetch_related(
        Prefetch("shift_limits", ShiftTypeLimit.objects.select_related("shift_type").order_by("shift_type__code"))
    ).order_by("scope", "department__path", "employee__last_name", "pk")


# Rule checks and coverage of one roster -------------------------------------------------------------


@dataclass(frozen=True)
class CoverageLine:
    """Required vs assigned people on one shift of one day (for one skill, or everyone)."""

    date: dt.date
    shift_type_id: int
    shift_type_code: str
    skill_id: int | None
    skill_code: str | None
    required: int
    assigned: int
    gap: int
    over: int
    source: str = rules.FIXED  # or "census" / "forecast": a ratio turned that census into `required`
    census: float | None = None


@dataclass(frozen=True)
class ViolationLine:
    rule: str
    severity: str
    employee_id: int
    employee_name: str
    date: dt.date | None
    message: str


@dataclass
class RosterChecks:
    context: rules.RosterContext
    cells: list[rules.Cell]
    violations: list[ViolationLine]
    coverage: list[CoverageLine]


def describe_violations(violations: list[rules.Violation], employees: dict[int, Employee]) -> list[ViolationLine]:
    """Rule findings with the employee's name, for pages and API answers."""
    return [
        ViolationLine(
            v.rule,
            v.severity,
            v.employee_id,
            employees[v.employee_id].full_name if v.employee_id in employees else "",
            v.date,
            v.message,
        )
        for v in violations
    ]


def schedule_checks(schedule: Schedule) -> RosterChecks:
    """Every rule finding and the coverage of a roster as it stands, in a fixed number of queries."""
    return _checks(*services.schedule_violations(schedule))


def _checks(ctx: rules.RosterContext, cells: list[rules.Cell], violations: list[rules.Violation]) -> RosterChecks:
    skills = {req.skill_id: req.skill for req in ctx.requirements if req.skill_id}
    coverage = [
        CoverageLine(
            row.date,
            row.shift_type_id,
            ctx.shift_types[row.shift_type_id].code,
            row.skill_id,
            skills[row.skill_id].code if row.skill_id else None,
            row.required,
            row.assigned,
            row.gap,
            row.over,
            row.source,
            row.census,
        )
        for row in rules.coverage(ctx, cells)
    ]
    return RosterChecks(ctx, cells, describe_violations(violations, ctx.employees), coverage)


# The roster page ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GridCell:
    """A filled cell of the roster grid: its shift type and code (no model objects: a large unit's
    roster holds thousands of cells)."""

    shift_type_id: int
    code: str


@dataclass
class RosterGrid:
    """Everything a roster page shows. Hours are worked (scheduled) hours within this roster;
    weeks are ISO weeks given as (ISO year, week number). Every employee row has an entry (0.0 when
    not rostered) in `hours` and `overtime_hours`."""

    schedule: Schedule
    employees: list[Employee]  # rows, by last then first name
    days: list[dt.date]
    weeks: list[tuple[int, int]]
    shift_types: list[ShiftType]
    assignments: dict[tuple[int, dt.date], GridCell]
    coverage: list[CoverageLine]
    violations: list[ViolationLine]
    violations_by_cell: dict[tuple[int, dt.date], list[ViolationLine]]
    hours_by_week: dict[int, dict[tuple[int, int], float]]  # employee id → ISO week → hours
    hours: dict[int, float]  # employee id → hours in the roster
    overtime_hours: dict[int, float]  # employee id → hours above the weekly threshold, summed over weeks
    coverage_pct: dict[int, float | None]  # shift type id → % of required places filled (None: nothing required)
    total_coverage_pct: float | None
    unfilled_shifts: int  # places required but not filled, summed over the roster
    hard_count: int = 0
    soft_count: int = 0
    locked: frozenset[tuple[int, dt.date]] = frozenset()  # (employee id, day) cells the generator keeps
    context: rules.RosterContext | None = None  # what the rule check loaded (for the fairness table)
    cells: list[rules.Cell] = field(default_factory=list)
    warnings: list[ViolationLine] = field(default_factory=list)  # soft findings
    errors: list[ViolationLine] = field(default_factory=list)  # hard findings


def _pct(filled: int, required: int) -> float | None:
    return round(100 * filled / required, 1) if required else None


def roster_grids(schedules: list[Schedule]) -> dict[int, RosterGrid]:
    """The grids of several rosters of one unit, by roster pk, from one shared load (the same queries
    for one roster as for several)."""
    found = services.rosters_violations(schedules)
    return {pk: _grid(loaded[0].schedule, _checks(*loaded)) for pk, loaded in found.items()}


def roster_grid(schedule: Schedule) -> RosterGrid:
    """The roster page's grid, measures and findings, from the cells the rule check already loaded (one
    pass over plain rows: hours per ISO week are summed here rather than asked again of the database)."""
    return _grid(schedule, schedule_checks(schedule))


def _grid(schedule: Schedule, checks: RosterChecks) -> RosterGrid:
    ctx = checks.context
    days = schedule.days
    weeks = sorted({day.isocalendar()[:2] for day in days})
    shift_info = {pk: (s.code, s.duration_minutes) for pk, s in ctx.shift_types.items()}
    missing = {cell.shift_type_id for cell in checks.cells} - shift_info.keys()
    if missing:  # a cell whose shift type is not the unit's (the rule check reports it)
        shift_info.update({
            pk: (code, minutes)
            for pk, code, minutes in ShiftType.objects.filter(pk__in=missing).values_list(
                "pk", "code", "duration_minutes"
            )
        })
    assignments: dict[tuple[int, dt.date], GridCell] = {}
    minutes_by_week: dict[int, dict[tuple[int, int], int]] = defaultdict(lambda: defaultdict(int))
    for cell in sorted(checks.cells, key=lambda c: c.date):
        code, minutes = shift_info.get(cell.shift_type_id, ("?", 0))
        assignments[(cell.employee_id, cell.date)] = GridCell(cell.shift_type_id, code)
        minutes_by_week[cell.employee_id][cell.date.isocalendar()[:2]] += minutes
    employees = sorted(ctx.employees.values(), key=lambda e: (e.last_name, e.first_name, e.pk))
    hours_by_week = {pk: {week: m / 60 for week, m in by_week.items()} for pk, by_week in minutes_by_week.items()}
    hours = {e.pk: 0.0 for e in employees} | {pk: sum(by_week.values()) for pk, by_week in hours_by_week.items()}
    overtime = dict.fromkeys(hours, 0.0)
    for employee_id, by_week in minutes_by_week.items():
        limit = ctx.rules.get(employee_id, rules.Rules()).max_weekly_minutes
        overtime[employee_id] = rules.overtime_minutes(by_week.values(), limit) / 60

    required: dict[int, int] = defaultdict(int)
    filled: dict[int, int] = defaultdict(int)
    for line in checks.coverage:
        required[line.shift_type_id] += line.required
        filled[line.shift_type_id] += min(line.assigned, line.required)

    by_cell: dict[tuple[int, dt.date], list[ViolationLine]] = defaultdict(list)
    for line in checks.violations:
        if line.date is not None:
            by_cell[(line.employee_id, line.date)].append(line)
    errors = [v for v in checks.violations if v.severity == rules.HARD]
    warnings = [v for v in checks.violations if v.severity != rules.HARD]

    shift_types = sorted(ctx.shift_types.values(), key=lambda s: (s.start_time, s.code))
    return RosterGrid(
        schedule=schedule,
        employees=employees,
        days=days,
        weeks=weeks,
        shift_types=shift_types,
        assignments=assignments,
        coverage=checks.coverage,
        violations=checks.violations,
        violations_by_cell=dict(by_cell),
        hours_by_week=hours_by_week,
        hours=hours,
        overtime_hours=overtime,
        coverage_pct={s.pk: _pct(filled[s.pk], required[s.pk]) for s in shift_types},
        total_coverage_pct=_pct(sum(filled.values()), sum(required.values())),
        unfilled_shifts=sum(line.gap for line in checks.coverage),
        hard_count=len(errors),
        soft_count=len(warnings),
        locked=ctx.locked,
        context=ctx,
        cells=checks.cells,
        warnings=warnings,
        errors=errors,
    )


def roster_cell_employee(schedule: Schedule, employee_id: int, day: dt.date) -> Employee | None:
    """The person of a grid cell, if that cell is on this roster (someone rosterable, a day of its period)."""
    if not schedule.start_date <= day <= schedule.end_date:
        return None
    return rules.roster_employees(schedule).filter(pk=employee_id).first()


@dataclass
class CellUpdate:
    """What the grid redraws after one cell changed: the roster as it now stands, where the cell sits,
    the row's hours and the warnings of the change with names."""

    schedule: Schedule
    grid: RosterGrid
    row: int
    col: int
    hours: float
    warnings: list[ViolationLine]


def cell_update(schedule: Schedule, employee: Employee, day: dt.date, warnings: list[rules.Violation]) -> CellUpdate:
    schedule = Schedule.objects.select_related("department", "created_by", "submitted_by", "decided_by").get(
        pk=schedule.pk
    )
    grid = roster_grid(schedule)
    rows = {e.pk: n for n, e in enumerate(grid.employees)}
    return CellUpdate(
        schedule=schedule,
        grid=grid,
        row=rows.get(employee.pk, 0),
        col=grid.days.index(day),
        hours=grid.hours.get(employee.pk, 0),
        warnings=describe_violations(warnings, {e.pk: e for e in grid.employees}),
    )


def decisions_waiting(user) -> dict | None:
    """What waits for a head's or manager's decision: submitted rosters and time-off requests
    of the departments they run (their own submissions and requests excluded). None for others."""
    if user is None or not user.is_authenticated or not access.acts_as(user, access.HEAD):
        return None
    heads = access.departments_where(user, access.HEAD, active=False)
    schedules = Schedule.objects.filter(department__in=heads, status=Schedule.Status.SUBMITTED)
    requests = TimeOff.objects.filter(employee__department__in=heads, status=TimeOff.Status.REQUESTED)
    return {
        "rosters": schedules.exclude(submitted_by=user).count(),
        "time_off": requests.exclude(employee__user_id=user.pk).count(),
    }


# Time off ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RosteredShift:
    """A shift someone holds on a day they asked to have off: a cell of a roster as it stands, a shift
    of the roster as last published (what they see, still worked while a revision is drafted), or both."""

    schedule: Schedule
    date: dt.date
    shift_type: ShiftType
    assignment_id: int | None  # the roster cell as it stands, if any
    published: bool

    @property
    def removable(self) -> bool:
        """Whether approving the time off may take it off: only a draft cell nobody has seen published."""
        return self.assignment_id is not None and not self.published and self.schedule.status == Schedule.Status.DRAFT

    @property
    def how_to_remove(self) -> str:
        """What to do with the roster first when the shift cannot be removed with the approval."""
        status = self.schedule.status
        if self.removable:
            return ""
        if status == Schedule.Status.SUBMITTED:
            return _("The roster awaits approval: have it rejected back to draft, then remove the shift.")
        if status == Schedule.Status.APPROVED:
            return _("The roster is approved: publish it, start a revision and remove the shift there.")
        if status == Schedule.Status.PUBLISHED:
            return _("The roster is published: start a revision, remove the shift there, and have the revision "
                     "approved and published.")
        return _("Staff still see this shift on the published roster: remove it in the revision, then have the "
                 "revision approved and published.")


def rostered_shifts(time_off: TimeOff) -> list[RosteredShift]:
    """The shifts the person holds on the days of a time-off request, in date order."""
    days = {"employee_id": time_off.employee_id, "date__gte": time_off.start_date, "date__lte": time_off.end_date}
    found: dict[tuple[int, dt.date], dict] = {}
    for cell in ShiftAssignment.objects.filter(**days).select_related("shift_type", "schedule__department"):
        found[(cell.schedule_id, cell.date)] = {
            "schedule": cell.schedule, "date": cell.date, "shift_type": cell.shift_type,
            "assignment_id": cell.pk, "published": False,
        }
    for shift in PublishedShift.objects.filter(**days).select_related("shift_type", "schedule__department"):
        entry = found.setdefault((shift.schedule_id, shift.date), {
            "schedule": shift.schedule, "date": shift.date, "shift_type": shift.shift_type, "assignment_id": None,
        })
        entry["published"] = True
    shifts = [RosteredShift(**entry) for entry in found.values()]
    return sorted(shifts, key=lambda s: (s.date, s.shift_type.start_time, s.schedule.department.path, s.schedule.pk))


def published_shifts(employee) -> QuerySet[PublishedShift]:
    """An employee's shifts as their rosters were last published (what My shifts and the feed show)."""
    return (
        PublishedShift.objects.filter(employee=employee)
        .select_related("shift_type", "schedule__department")
        .order_by("starts_at", "pk")
    )


# Measures over many rosters: coverage, unfilled shifts, hours and overtime -----------------------------
#
# The same definitions as one roster's page (rules.coverage_rows, rules.overtime_minutes, RulesBook),
# counted in SQL for a unit, a department's subtree or the whole hospital over a month or more.

# Rosters whose shifts count as worked: approved or published, and a published roster while a revision
# of it is drafted and approved again (staff go on working it meanwhile).
ROSTER_IN_FORCE = Q(status__in=(Schedule.Status.APPROVED, Schedule.Status.PUBLISHED)) | Q(published_at__isnull=False)


def worked_shifts(*, within=None, start: dt.date, end: dt.date) -> QuerySet[ShiftAssignment]:
    """Shifts dated `start`..`end` of rosters in force, on the rosters of `within` and its units (None: the
    whole hospital)."""
    in_force = Schedule.objects.filter(ROSTER_IN_FORCE).values("pk")
    return ShiftAssignment.objects.filter(
        scoping.within(within, "schedule__department"), date__gte=start, date__lte=end, schedule__in=in_force
    )


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass
class UnitMonth:
    """One unit's staffing in one calendar month, as its rosters in force count it."""

    required: int = 0
    filled: int = 0
    minutes: int = 0
    overtime_minutes: int = 0

    @property
    def unfilled(self) -> int:
        return self.required - self.filled

    def add(self, other: UnitMonth) -> UnitMonth:
        self.required += other.required
        self.filled += other.filled
        self.minutes += other.minutes
        self.overtime_minutes += other.overtime_minutes
        return self


@dataclass
class StaffingMeasures:
    """Coverage rows (one per unit, day, shift and skill) and totals per (roster unit id, first of month).

    Coverage counts a unit's requirements on the days of the months in which it has a roster in force
    (a month without a roster has no figure, rather than nothing filled). Worked minutes count each
    shift in its calendar month; overtime is counted per person, roster and ISO week against the
    person's weekly limit on that roster, in the month in which the week begins."""

    coverage: list[rules.CoverageRow]
    units: dict[tuple[int, dt.date], UnitMonth]

    def total(self, *, month: dt.date | None = None, department_ids=None) -> UnitMonth:
        """Totals for one month (its first day) or all, over some units (ids) or all."""
        total = UnitMonth()
        for (department_id, first), figures in self.units.items():
            if (month is None or first == month) and (department_ids is None or department_id in department_ids):
                total.add(figures)
        return total


def staffing_measures(*, within=None, start: dt.date, end: dt.date) -> StaffingMeasures:
    """Coverage, unfilled places, worked minutes and overtime of the rosters in force, per unit and month,
    for `within`'s subtree (None: the whole hospital), in a fixed number of queries."""
    units: dict[tuple[int, dt.date], UnitMonth] = defaultdict(UnitMonth)
    coverage = _coverage(within, start, end)
    for row in coverage:
        figures = units[(row.department_id, _first_of_month(row.date))]
        figures.required += row.required
        figures.filled += row.filled
    worked = worked_shifts(within=within, start=start, end=end)
    for department_id, month, minutes in (
        worked.annotate(month=TruncMonth("date", output_field=DateField()))
        .values_list("schedule__department_id", "month")
        .annotate(minutes=Sum("shift_type__duration_minutes"))
        .order_by()
    ):
        units[(department_id, month)].minutes += minutes or 0
    for (department_id, month), minutes in _overtime(within, start, end).items():
        units[(department_id, month)].overtime_minutes += minutes
    return StaffingMeasures(coverage, dict(units))


def _coverage(within, start: dt.date, end: dt.date) -> list[rules.CoverageRow]:
    requirements = load_requirements(
        within=within, start=start, end=end,
        fixed_fields=("department_id", "shift_type_id", "skill_id", "weekday", "on_date", "required_count",
                      "under_weight", "over_weight"),
    )
    if not requirements:
        return []
    rostered: dict[int, set[dt.date]] = defaultdict(set)  # unit → months with a roster in force
    for department_id, first, last in Schedule.objects.filter(
        scoping.within(within), ROSTER_IN_FORCE, start_date__lte=end, end_date__gte=start
    ).values_list("department_id", "start_date", "end_date"):
        month = _first_of_month(max(first, start))
        while month <= min(last, end):
            rostered[department_id].add(month)
            month = _first_of_month(month + dt.timedelta(days=31))
    worked = worked_shifts(within=within, start=start, end=end)
    assigned = {
        (day, shift, None): n
        for shift, day, n in worked.values_list("shift_type_id", "date").annotate(n=Count("pk")).order_by()
    }
    skills = {r.skill_id for rows in requirements.values() for r in rows if r.skill_id is not None}
    if skills:
        assigned.update({
            (day, shift, skill): n
            for shift, day, skill, n in worked.filter(employee__employee_skills__skill_id__in=skills)
            .values_list("shift_type_id", "date", "employee__employee_skills__skill_id")
            .annotate(n=Count("pk"))
            .order_by()
        })

    def count(day: dt.date, shift_type_id: int, skill_id: int | None) -> int:
        return assigned.get((day, shift_type_id, skill_id), 0)

    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    rows = []
    for department_id in sorted(requirements):
        months = rostered.get(department_id)
        if months:
            unit_days = [day for day in days if _first_of_month(day) in months]
            rows += rules.coverage_rows(unit_days, requirements[department_id], count, department_id)
    return rows


def _overtime(within, start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], int]:
    """{(roster unit id, first of month): overtime minutes} of the ISO weeks beginning start..end."""
    first_monday = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    last_sunday = end - dt.timedelta(days=end.weekday()) + dt.timedelta(days=6)
    lowest = LabourRules.objects.aggregate(lowest=Min("max_weekly_minutes"))["lowest"]
    if first_monday > last_sunday or lowest is None:
        return {}
    # Grouped on the cell's own columns only (no join to the unit, no text key): the roster's unit path is
    # looked up afterwards for the few rosters that hold a week over the lowest limit.
    keys = ("schedule_id", "employee_id", "monday")
    weeks = list(
        worked_shifts(within=within, start=first_monday, end=last_sunday)
        .annotate(monday=TruncWeek("date", output_field=DateField()))
        .values(*keys)
        .annotate(minutes=Sum("shift_type__duration_minutes"))
        .filter(minutes__gt=lowest)  # only weeks above the lowest limit anyone has can hold overtime
        .values_list(*keys, "minutes")
        .order_by()
    )
    if not weeks:
        return {}
    paths = dict(
        Schedule.objects.filter(pk__in={schedule_id for schedule_id, *_ in weeks}).values_list("pk", "department__path")
    )
    book = rules.RulesBook.load(
        department_ids={pk for path in paths.values() for pk in path_ids(path)},
        employee_ids={employee_id for _, employee_id, *_ in weeks},
    )
    result: dict[tuple[int, dt.date], int] = defaultdict(int)
    for schedule_id, employee_id, monday, minutes in weeks:
        lineage = path_ids(paths[schedule_id])
        limit = book.rules(lineage, employee_id).max_weekly_minutes
        result[(lineage[-1], _first_of_month(monday))] += rules.overtime_minutes([minutes], limit)
    return dict(result)


def feed_shifts(employee, *, today: dt.date, past_days: int, ahead_days: int) -> QuerySet[PublishedShift]:
    """The published shifts a calendar feed carries: from `past_days` before today to `ahead_days` after."""
    return published_shifts(employee).filter(
        date__gte=today - dt.timedelta(days=past_days), date__lte=today + dt.timedelta(days=ahead_days)
    )
