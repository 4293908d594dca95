"""The public nurse-rostering benchmark instances (Shift Scheduling Benchmark Data Sets), read and
expressed in this app's own model: a unit with its shift types and forbidden successions, one
contract of labour rules per nurse, fixed days off as approved time off, on/off requests as shift
preferences, and cover as dated staffing requirements with their weights.

`parse_instance` reads a file; `import_instance` writes it as a draft roster ready to be filled,
by hand or by the auto-scheduler; `score` prices a roster the way the benchmark does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from records.models import Department, Employee, JobTitle

from . import rules
from .models import (
    GeneratorSettings,
    LabourRules,
    Schedule,
    ShiftPreference,
    ShiftType,
    ShiftTypeLimit,
    StaffingRequirement,
    TimeOff,
)

START_TIME = dt.time(8, 0)  # the files give lengths only; one start time keeps every shift apart


@dataclass
class StaffRow:
    id: str
    max_shifts: dict[str, int]
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int
    max_weekends: int


@dataclass
class Instance:
    name: str
    horizon: int
    shifts: dict[str, tuple[int, list[str]]]  # id -> (minutes, ids that may not follow)
    staff: list[StaffRow]
    days_off: dict[str, list[int]] = field(default_factory=dict)
    on_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    off_requests: list[tuple[str, int, str, int]] = field(default_factory=list)
    cover: list[tuple[int, str, int, int, int]] = field(default_factory=list)


def parse_instance(path: Path) -> Instance:
    sections: dict[str, list[list[str]]] = {}
    current = None
    for raw in Path(path).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
            continue
        sections[current].append([part.strip() for part in line.split(",")])
    shifts = {
        row[0]: (int(row[1]), [s for s in row[2].split("|") if s] if len(row) > 2 else [])
        for row in sections["SECTION_SHIFTS"]
    }
    staff = [
        StaffRow(
            id=row[0],
            max_shifts={k: int(v) for k, v in (item.split("=") for item in row[1].split("|"))},
            max_minutes=int(row[2]), min_minutes=int(row[3]), max_consecutive=int(row[4]),
            min_consecutive=int(row[5]), min_days_off=int(row[6]), max_weekends=int(row[7]),
        )
        for row in sections["SECTION_STAFF"]
    ]
    return Instance(
        name=Path(path).stem,
        horizon=int(sections["SECTION_HORIZON"][0][0]),
        shifts=shifts,
        staff=staff,
        days_off={row[0]: [int(d) for d in row[1:] if d] for row in sections.get("SECTION_DAYS_OFF", [])},
        on_requests=[(r[0], int(r[1]), r[2], int(r[3])) for r in sections.get("SECTION_SHIFT_ON_REQUESTS", [])],
        off_requests=[(r[0], int(r[1]), r[2], int(r[3])) for r in sections.get("SECTION_SHIFT_OFF_REQUESTS", [])],
        cover=[(int(r[0]), r[1], int(r[2]), int(r[3]), int(r[4])) for r in sections.get("SECTION_COVER", [])],
    )


@dataclass
class Imported:
    schedule: Schedule
    shift_types: dict[str, ShiftType]  # by the file's shift id
    employees: dict[str, Employee]  # by the file's staff id

    def day(self, index: int) -> dt.date:
        return self.schedule.start_date + dt.timedelta(days=index)


def _code(shift_id: str) -> str:
    return shift_id.upper()[:8]


@transaction.atomic
def import_instance(instance: Instance, *, start: dt.date, created_by, code: str | None = None) -> Imported:
    """Write the instance as a unit with a draft roster of `instance.horizon` days from `start` (a Monday)."""
    if start.weekday() != 0:
        raise ValueError("Benchmark horizons start on a Monday.")
    code = (code or f"NRP-{instance.name}").upper()[:20]
    unit = Department.objects.create(code=code, name=f"Benchmark {instance.name}", kind=Department.Kind.UNIT,
                                     cost_centre=code)
    # Rules the benchmark does not have are made neutral for this unit, so hospital defaults stay out.
    LabourRules.objects.create(
        scope=LabourRules.Scope.DEPARTMENT, department=unit, min_rest_hours=Decimal(0),
        max_weekly_minutes=7 * 24 * 60, max_consecutive_nights=instance.horizon,
    )
    # The benchmark's contract limits are hard rules: the unit's generator keeps them so.
    GeneratorSettings.objects.create(department=unit, fairness_weight=0, labour_limits_hard=True)
    shift_types = {
        shift_id: ShiftType.objects.create(
            department=unit, code=_code(shift_id), name=f"Shift {shift_id}", start_time=START_TIME,
            duration_minutes=minutes, paid_minutes=minutes,
        )
        for shift_id, (minutes, _) in instance.shifts.items()
    }
    for shift_id, (_, forbidden) in instance.shifts.items():
        shift_types[shift_id].forbidden_successors.set([shift_types[f] for f in forbidden])

    job = JobTitle.objects.get_or_create(code="RN", defaults={"name": "Registered Nurse"})[0]
    employees = {}
    for row in instance.staff:
        employee = Employee.objects.create(
            employee_number=f"{code}-{row.id}"[:20].upper(), first_name="Nurse", last_name=row.id,
            department=unit, job_title=job, hourly_rate=Decimal("40.00"), hire_date=start - dt.timedelta(days=365),
        )
        employees[row.id] = employee
        contract = LabourRules.objects.create(
            scope=LabourRules.Scope.EMPLOYEE, employee=employee, max_minutes_per_period=row.max_minutes,
            min_minutes_per_period=row.min_minutes, max_consecutive_days=row.max_consecutive,
            min_consecutive_days=row.min_consecutive, min_consecutive_days_off=row.min_days_off,
            max_weekends_per_period=row.max_weekends,
        )
        ShiftTypeLimit.objects.bulk_create([
            ShiftTypeLimit(rules=contract, shift_type=shift_types[shift_id], max_shifts=limit)
            for shift_id, limit in row.max_shifts.items()
        ])

    def day(index: int) -> dt.date:
        return start + dt.timedelta(days=index)

    TimeOff.objects.bulk_create([
        TimeOff(employee=employees[staff_id], kind=TimeOff.Kind.DAY_OFF, start_date=day(d), end_date=day(d),
                status=TimeOff.Status.APPROVED, requested_by=created_by, decided_by=created_by)
        for staff_id, days in instance.days_off.items()
        for d in days
    ])
    ShiftPreference.objects.bulk_create(
        [ShiftPreference(employee=employees[s], date=day(d), shift_type=shift_types[t],
                         kind=ShiftPreference.Kind.WANT, priority=w) for s, d, t, w in instance.on_requests]
        + [ShiftPreference(employee=employees[s], date=day(d), shift_type=shift_types[t],
                           kind=ShiftPreference.Kind.AVOID, priority=w) for s, d, t, w in instance.off_requests]
    )
    StaffingRequirement.objects.bulk_create([
        StaffingRequirement(department=unit, shift_type=shift_types[t], on_date=day(d), required_count=need,
                            under_weight=under, over_weight=over)
        for d, t, need, under, over in instance.cover
    ])
    schedule = Schedule.objects.create(
        department=unit, start_date=start, end_date=day(instance.horizon - 1), created_by=created_by,
        comment=f"Benchmark instance {instance.name}",
    )
    return Imported(schedule=schedule, shift_types=shift_types, employees=employees)


def score(ctx: rules.RosterContext, cells: list[rules.Cell]) -> tuple[int, list[rules.Violation]]:
    """The benchmark's price of a roster (requests not honoured plus cover under and over), and the
    rule violations, which must hold none for the roster to be valid there."""
    violations = rules.check_roster(ctx, cells)
    preference_cost = sum(v.weight for v in violations if v.rule == rules.Rule.PREFERENCE)
    cover_cost = sum(row.penalty for row in rules.coverage(ctx, cells))
    return preference_cost + cover_cost, [v for v in violations if v.rule != rules.Rule.PREFERENCE]
