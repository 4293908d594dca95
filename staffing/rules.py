"""The one definition of a valid roster.

Pages, the API, approval and the auto-scheduler all ask this module. It works on plain data
(`Cell` rows and a `RosterContext` loaded in a fixed number of queries), so checking a whole
roster costs no query per cell.

Hard rules are refused: two shifts overlapping in time, a shift on approved time off, a shift
needing a skill or credential the employee lacks (or whose credential has expired that day), a
forbidden succession, less rest than the minimum. Soft rules are warnings: limits on shifts of a
type, worked minutes, weekly hours, runs of days and nights, days off, weekends, and preferences.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from records.models import Credential, Employee, EmployeeSkill

from .models import LabourRules, Schedule, ShiftAssignment, ShiftPreference, ShiftType, StaffingRequirement, TimeOff

HARD = "hard"
SOFT = "soft"


@dataclass(frozen=True, order=True)
class Cell:
    employee_id: int
    date: dt.date
    shift_type_id: int


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str
    employee_id: int
    date: dt.date | None
    message: str
    weight: int = 0

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD


@dataclass
class Rules:
    """Effective rules of one employee, each field resolved employee → unit → hospital."""

    min_rest_hours: Decimal | None = None
    max_minutes_per_period: int | None = None
    min_minutes_per_period: int | None = None
    max_weekly_minutes: int | None = None
    min_consecutive_days: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_weekends_per_period: int | None = None
    max_consecutive_nights: int | None = None
    shift_limits: dict[int, int] = field(default_factory=dict)


@dataclass
class RosterContext:
    schedule: Schedule
    days: list[dt.date]
    shift_types: dict[int, ShiftType]
    forbidden_next: dict[int, set[int]]
    employees: dict[int, Employee]
    skills: dict[int, set[int]]
    credentials: dict[int, list[tuple[int, dt.date, dt.date | None]]]
    time_off: dict[int, list[tuple[dt.date, dt.date, str]]]
    rules: dict[int, Rules]
    preferences: list[ShiftPreference]
    requirements: list[StaffingRequirement]
    outside: list[tuple[int, dt.datetime, dt.datetime, dt.date, int]]  # shifts in other rosters nearby

    def span(self, cell: Cell) -> tuple[dt.datetime, dt.datetime]:
        return self.shift_types[cell.shift_type_id].span_on(cell.date)

    def minutes(self, cell: Cell) -> int:
        return self.shift_types[cell.shift_type_id].duration_minutes


def roster_employees(schedule: Schedule):
    """Who can be rostered on this unit: its active staff and anyone already on the roster."""
    on_roster = ShiftAssignment.objects.filter(schedule=schedule).values("employee_id")
    return Employee.objects.filter(
        Q(department__path__startswith=schedule.department.path, status=Employee.Status.ACTIVE)
        | Q(pk__in=on_roster)
    )


def load_context(schedule: Schedule, employee_ids: set[int] | None = None) -> RosterContext:
    """Everything the rules need about one roster, in a fixed number of queries."""
    days = schedule.days
    first, last = days[0], days[-1]
    shift_types = {
        s.pk: s
        for s in ShiftType.objects.filter(department=schedule.department)
        .select_related("required_skill", "required_credential")
        .prefetch_related("forbidden_successors")
    }
    forbidden_next = {pk: {f.pk for f in s.forbidden_successors.all()} for pk, s in shift_types.items()}
    employees_qs = roster_employees(schedule).select_related("job_title")
    if employee_ids is not None:
        employees_qs = Employee.objects.filter(pk__in=employee_ids).select_related("job_title")
    employees = {e.pk: e for e in employees_qs}
    ids = set(employees)

    skills: dict[int, set[int]] = defaultdict(set)
    held = EmployeeSkill.objects.filter(employee_id__in=ids).values_list("employee_id", "skill_id")
    for employee_id, skill_id in held:
        skills[employee_id].add(skill_id)
    credentials: dict[int, list] = defaultdict(list)
    for row in Credential.objects.filter(employee_id__in=ids).values_list(
        "employee_id", "credential_type_id", "issued_on", "expiry_date"
    ):
        credentials[row[0]].append(row[1:])
    time_off: dict[int, list] = defaultdict(list)
    for row in TimeOff.objects.filter(
        employee_id__in=ids, status=TimeOff.Status.APPROVED, start_date__lte=last, end_date__gte=first
    ).values_list("employee_id", "start_date", "end_date", "kind"):
        time_off[row[0]].append(row[1:])

    outside = list(
        ShiftAssignment.objects.filter(
            employee_id__in=ids, date__gte=first - dt.timedelta(days=2), date__lte=last + dt.timedelta(days=2)
        )
        .exclude(schedule=schedule)
        .values_list("employee_id", "starts_at", "ends_at", "date", "shift_type_id")
    )
    return RosterContext(
        schedule=schedule,
        days=days,
        shift_types=shift_types,
        forbidden_next=forbidden_next,
        employees=employees,
        skills=skills,
        credentials=credentials,
        time_off=time_off,
        rules=_effective_rules(schedule, ids),
        preferences=list(
            ShiftPreference.objects.filter(employee_id__in=ids, date__gte=first, date__lte=last).select_related(
                "shift_type"
            )
        ),
        requirements=list(
            StaffingRequirement.objects.filter(department=schedule.department)
            .filter(Q(on_date__isnull=True) | Q(on_date__gte=first, on_date__lte=last))
            .select_related("shift_type", "skill")
        ),
        outside=outside,
    )


def _effective_rules(schedule: Schedule, employee_ids: set[int]) -> dict[int, Rules]:
    book = RulesBook.load(department_ids=schedule.department.lineage_ids, employee_ids=employee_ids)
    return book.for_roster(schedule.department.lineage_ids, employee_ids)


class RulesBook:
    """Labour-rules rows loaded once, resolving anyone's rules on any unit's roster.

    A person's rules on a roster are resolved field by field: the hospital default, then the rules of
    the roster unit's ancestors down to the unit (the roster's unit, not the person's home unit: staff of
    a sub-unit rostered on its parent work under the parent's rules), then the person's contract."""

    def __init__(self, rows: list[LabourRules]):
        self.hospital = [r for r in rows if r.scope == LabourRules.Scope.HOSPITAL]
        self.units = {r.department_id: r for r in rows if r.scope == LabourRules.Scope.DEPARTMENT}
        self.contracts = {r.employee_id: r for r in rows if r.scope == LabourRules.Scope.EMPLOYEE}
        self._bases: dict[tuple[int, ...], Rules] = {}

    @classmethod
    def load(cls, *, department_ids=None, employee_ids=None) -> RulesBook:
        """The hospital default with the rules of `department_ids` and the contracts of `employee_ids`
        (None: all of them), in two queries."""
        query = Q(scope=LabourRules.Scope.HOSPITAL)
        query |= Q(department__isnull=False) if department_ids is None else Q(department_id__in=department_ids)
        query |= Q(employee__isnull=False) if employee_ids is None else Q(employee_id__in=employee_ids)
        return cls(list(LabourRules.objects.filter(query).prefetch_related("shift_limits")))

    @staticmethod
    def _resolve(layers: list[LabourRules]) -> Rules:
        rules = Rules()
        for layer in layers:
            for name in LabourRules.RULE_FIELDS:
                value = getattr(layer, name)
                if value is not None:
                    setattr(rules, name, value)
            for limit in layer.shift_limits.all():
                rules.shift_limits[limit.shift_type_id] = limit.max_shifts
        return rules

    def _general(self, lineage_ids: list[int]) -> list[LabourRules]:
        # hospital first, then the unit's ancestors down to the unit: later ones win
        return [*self.hospital, *(self.units[pk] for pk in lineage_ids if pk in self.units)]

    def rules(self, lineage_ids: list[int], employee_id: int | None) -> Rules:
        """One person's rules on a roster of the unit whose lineage (top first) is `lineage_ids`."""
        key = tuple(lineage_ids)
        if key not in self._bases:
            self._bases[key] = self._resolve(self._general(lineage_ids))
        if employee_id in self.contracts:
            return self._resolve([*self._general(lineage_ids), self.contracts[employee_id]])
        return self._bases[key]

    def for_roster(self, lineage_ids: list[int], employee_ids) -> dict[int, Rules]:
        return {employee_id: self.rules(lineage_ids, employee_id) for employee_id in employee_ids}

    def lowest_weekly_minutes(self) -> int | None:
        """The lowest weekly limit anyone can have: weeks at or under it hold no overtime."""
        rows = [*self.hospital, *self.units.values(), *self.contracts.values()]
        return min((r.max_weekly_minutes for r in rows if r.max_weekly_minutes is not None), default=None)


def overtime_minutes(week_minutes, limit: int | None) -> int:
    """Overtime: the minutes above the weekly limit (the weekly_hours rule), week by week."""
    if limit is None:
        return 0
    return sum(max(0, minutes - limit) for minutes in week_minutes)


def _fmt(day: dt.date) -> str:
    return f"{day:%a %d %b}"


def check_cell(ctx: RosterContext, cell: Cell) -> list[Violation]:
    """Rules that a single cell breaks on its own: unknown shift, time off, skill, credential."""
    found = []
    shift = ctx.shift_types.get(cell.shift_type_id)
    employee = ctx.employees.get(cell.employee_id)
    if shift is None or not shift.is_active:
        return [Violation("shift_type", HARD, cell.employee_id, cell.date, "This is not one of this unit's shifts.")]
    if employee is None:
        return [Violation("employee", HARD, cell.employee_id, cell.date, "This employee is not on this unit.")]
    name = employee.full_name
    if cell.date not in ctx.days:
        found.append(Violation("period", HARD, cell.employee_id, cell.date, "The date is outside the roster's period."))
    for start, end, kind in ctx.time_off.get(cell.employee_id, ()):
        if start <= cell.date <= end:
            found.append(
                Violation("time_off", HARD, cell.employee_id, cell.date,
                          f"{name} has approved time off ({kind.replace('_', ' ')}) on {_fmt(cell.date)}.")
            )
    if shift.required_skill_id and shift.required_skill_id not in ctx.skills.get(cell.employee_id, ()):
        found.append(
            Violation("skill", HARD, cell.employee_id, cell.date,
                      f"{shift.code} needs the skill {shift.required_skill.name}, which {name} does not have.")
        )
    if shift.required_credential_id:
        held = [c for c in ctx.credentials.get(cell.employee_id, ()) if c[0] == shift.required_credential_id]
        valid = [c for c in held if c[1] <= cell.date and (c[2] is None or c[2] >= cell.date)]
        if not valid:
            reason = "has expired by" if held else "is missing for"
            found.append(
                Violation("credential", HARD, cell.employee_id, cell.date,
                          f"{shift.code} needs a valid {shift.required_credential.name}; {name}'s {reason} "
                          f"{_fmt(cell.date)}.")
            )
    return found


def check_employee(ctx: RosterContext, employee_id: int, cells: list[Cell]) -> list[Violation]:
    """Every rule for one employee's row of the roster (cells of this roster only)."""
    found: list[Violation] = []
    employee = ctx.employees.get(employee_id)
    name = employee.full_name if employee else f"Employee {employee_id}"
    cells = sorted(cells, key=lambda c: c.date)
    for cell in cells:
        found += check_cell(ctx, cell)
    if any(v.rule in {"shift_type", "employee"} for v in found):
        return found
    rules = ctx.rules.get(employee_id, Rules())

    by_date: dict[dt.date, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_date[cell.date].append(cell)
    for day, same_day in by_date.items():
        if len(same_day) > 1:
            found.append(Violation("one_a_day", HARD, employee_id, day, f"{name} has two shifts on {_fmt(day)}."))

    # Time-based hard rules, with shifts in other rosters around this one included.
    spans = [(ctx.span(c), c.date, c.shift_type_id, True) for c in cells]
    spans += [((s, e), d, st, False) for emp, s, e, d, st in ctx.outside if emp == employee_id]
    spans.sort(key=lambda item: item[0][0])
    for (a_span, a_date, a_type, a_here), (b_span, b_date, b_type, b_here) in zip(spans, spans[1:], strict=False):
        if not (a_here or b_here):
            continue
        if b_span[0] < a_span[1]:
            found.append(
                Violation("overlap", HARD, employee_id, b_date,
                          f"{name}'s shift on {_fmt(b_date)} overlaps the one on {_fmt(a_date)}.")
            )
            continue
        if (b_date - a_date).days == 1 and b_type in ctx.forbidden_next.get(a_type, ()):
            first, second = ctx.shift_types.get(a_type), ctx.shift_types.get(b_type)
            found.append(
                Violation("succession", HARD, employee_id, b_date,
                          f"{second.code if second else 'This shift'} may not follow "
                          f"{first.code if first else 'the previous shift'} the next day ({_fmt(b_date)}).")
            )
        if rules.min_rest_hours is not None:
            rest = (b_span[0] - a_span[1]).total_seconds() / 3600
            if rest < float(rules.min_rest_hours):
                found.append(
                    Violation("rest", HARD, employee_id, b_date,
                              f"{name} would rest {rest:.1f} h before {_fmt(b_date)}; the minimum is "
                              f"{rules.min_rest_hours} h.")
                )

    found += _limits(ctx, employee_id, name, cells, rules)
    return found


def _limits(ctx: RosterContext, employee_id: int, name: str, cells: list[Cell], rules: Rules) -> list[Violation]:
    found = []
    worked = {c.date for c in cells}

    counts: dict[int, int] = defaultdict(int)
    for cell in cells:
        counts[cell.shift_type_id] += 1
    for shift_type_id, limit in rules.shift_limits.items():
        if counts.get(shift_type_id, 0) > limit:
            code = ctx.shift_types[shift_type_id].code if shift_type_id in ctx.shift_types else shift_type_id
            found.append(
                Violation("max_shifts", SOFT, employee_id, None,
                          f"{name} has {counts[shift_type_id]} {code} shifts; at most {limit}.")
            )

    total = sum(ctx.minutes(c) for c in cells)
    if rules.max_minutes_per_period is not None and total > rules.max_minutes_per_period:
        found.append(
            Violation("max_minutes", SOFT, employee_id, None,
                      f"{name} works {total / 60:.1f} h; at most {rules.max_minutes_per_period / 60:.1f} h.")
        )
    if rules.min_minutes_per_period is not None and total < rules.min_minutes_per_period:
        found.append(
            Violation("min_minutes", SOFT, employee_id, None,
                      f"{name} works {total / 60:.1f} h; at least {rules.min_minutes_per_period / 60:.1f} h.")
        )

    if rules.max_weekly_minutes is not None:
        weeks: dict[dt.date, int] = defaultdict(int)
        for cell in cells:
            weeks[cell.date - dt.timedelta(days=cell.date.weekday())] += ctx.minutes(cell)
        for monday, minutes in sorted(weeks.items()):
            if minutes > rules.max_weekly_minutes:
                found.append(
                    Violation("weekly_hours", SOFT, employee_id, monday,
                              f"{name} works {minutes / 60:.1f} h in the week of {_fmt(monday)}; "
                              f"{(minutes - rules.max_weekly_minutes) / 60:.1f} h over the "
                              f"{rules.max_weekly_minutes / 60:.0f} h threshold (overtime).")
                )

    days = ctx.days
    runs = _runs([d in worked for d in days])
    for start, length, working, inner in runs:
        day = days[start]
        if working and rules.max_consecutive_days is not None and length > rules.max_consecutive_days:
            found.append(
                Violation("max_consecutive", SOFT, employee_id, day,
                          f"{name} works {length} days in a row from {_fmt(day)}; "
                          f"at most {rules.max_consecutive_days}.")
            )
        if working and inner and rules.min_consecutive_days is not None and length < rules.min_consecutive_days:
            found.append(
                Violation("min_consecutive", SOFT, employee_id, day,
                          f"{name} works only {length} day(s) in a row from {_fmt(day)}; "
                          f"at least {rules.min_consecutive_days}.")
            )
        if (not working and inner and rules.min_consecutive_days_off is not None
                and length < rules.min_consecutive_days_off):
            found.append(
                Violation("min_days_off", SOFT, employee_id, day,
                          f"{name} has only {length} day(s) off from {_fmt(day)}; "
                          f"at least {rules.min_consecutive_days_off}.")
            )

    if rules.max_consecutive_nights is not None:
        nights = {c.date for c in cells if ctx.shift_types[c.shift_type_id].is_night}
        for start, length, on_nights, _inner in _runs([d in nights for d in days]):
            if on_nights and length > rules.max_consecutive_nights:
                found.append(
                    Violation("max_nights", SOFT, employee_id, days[start],
                              f"{name} works {length} nights in a row from {_fmt(days[start])}; "
                              f"at most {rules.max_consecutive_nights}.")
                )

    if rules.max_weekends_per_period is not None:
        weekends = {d - dt.timedelta(days=d.weekday() - 5) for d in worked if d.weekday() >= 5}
        if len(weekends) > rules.max_weekends_per_period:
            found.append(
                Violation("max_weekends", SOFT, employee_id, None,
                          f"{name} works {len(weekends)} weekends; at most {rules.max_weekends_per_period}.")
            )

    placed = {(c.date, c.shift_type_id) for c in cells}
    for pref in ctx.preferences:
        if pref.employee_id != employee_id:
            continue
        has_it = (pref.date, pref.shift_type_id) in placed
        if pref.kind == ShiftPreference.Kind.WANT and not has_it:
            found.append(
                Violation("preference", SOFT, employee_id, pref.date,
                          f"{name} asked to work {pref.shift_type.code} on {_fmt(pref.date)}.", pref.priority)
            )
        elif pref.kind == ShiftPreference.Kind.AVOID and has_it:
            found.append(
                Violation("preference", SOFT, employee_id, pref.date,
                          f"{name} asked not to work {pref.shift_type.code} on {_fmt(pref.date)}.", pref.priority)
            )
    return found


def _runs(flags: list[bool]) -> list[tuple[int, int, bool, bool]]:
    """(start index, length, value, inner) for each run; inner runs touch neither end."""
    runs = []
    start = 0
    for index in range(1, len(flags) + 1):
        if index == len(flags) or flags[index] != flags[start]:
            runs.append((start, index - start, flags[start], start > 0 and index < len(flags)))
            start = index
    return runs


def check_roster(ctx: RosterContext, cells: list[Cell]) -> list[Violation]:
    by_employee: dict[int, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_employee[cell.employee_id].append(cell)
    found = []
    for employee_id in sorted(by_employee, key=lambda pk: _sort_name(ctx, pk)):
        found += check_employee(ctx, employee_id, by_employee[employee_id])
    for employee_id in ctx.employees:
        if employee_id not in by_employee:
            rules = ctx.rules.get(employee_id, Rules())
            found += _limits(ctx, employee_id, ctx.employees[employee_id].full_name, [], rules)
    return found


def _sort_name(ctx: RosterContext, employee_id: int):
    employee = ctx.employees.get(employee_id)
    return (employee.last_name, employee.first_name) if employee else ("", "")


@dataclass(frozen=True)
class CoverageRow:
    date: dt.date
    shift_type_id: int
    skill_id: int | None
    required: int
    assigned: int
    under_weight: int
    over_weight: int
    department_id: int | None = None

    @property
    def filled(self) -> int:
        return min(self.assigned, self.required)

    @property
    def gap(self) -> int:
        return max(0, self.required - self.assigned)

    @property
    def over(self) -> int:
        return max(0, self.assigned - self.required)

    @property
    def penalty(self) -> int:
        return self.gap * self.under_weight + self.over * self.over_weight


def coverage_rows(days, requirements, assigned, department_id: int | None = None) -> list[CoverageRow]:
    """Required vs assigned per day, shift type and skill: the one definition of coverage.

    `requirements` are one unit's staffing requirements (StaffingRequirement or rows with its fields);
    a date's own requirement replaces the weekday's. `assigned(day, shift_type_id, skill_id)` counts the
    people rostered on that shift that day (with the skill, when one is given)."""
    pattern: dict[tuple[int, int | None, int], StaffingRequirement] = {}
    overrides: dict[tuple[int, int | None, dt.date], StaffingRequirement] = {}
    for req in requirements:
        if req.on_date:
            overrides[(req.shift_type_id, req.skill_id, req.on_date)] = req
        else:
            pattern[(req.shift_type_id, req.skill_id, req.weekday)] = req
    keys = sorted({(s, k) for s, k, _ in pattern} | {(s, k) for s, k, _ in overrides}, key=lambda k: (k[0], k[1] or 0))
    rows = []
    for day in days:
        for shift_type_id, skill_id in keys:
            req = overrides.get((shift_type_id, skill_id, day))
            req = req or pattern.get((shift_type_id, skill_id, day.weekday()))
            if req is None:
                continue
            rows.append(
                CoverageRow(day, shift_type_id, skill_id, req.required_count, assigned(day, shift_type_id, skill_id),
                            req.under_weight, req.over_weight, department_id)
            )
    return rows


def coverage(ctx: RosterContext, cells: list[Cell]) -> list[CoverageRow]:
    """Coverage of one roster's cells over its days."""
    assigned: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for cell in cells:
        assigned[(cell.date, cell.shift_type_id)].append(cell.employee_id)

    def count(day: dt.date, shift_type_id: int, skill_id: int | None) -> int:
        people = assigned.get((day, shift_type_id), [])
        if skill_id is not None:
            people = [pk for pk in people if skill_id in ctx.skills.get(pk, ())]
        return len(people)

    return coverage_rows(ctx.days, ctx.requirements, count, ctx.schedule.department_id)
