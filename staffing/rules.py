"""The one definition of a valid roster.

Pages, the API, approval and the auto-scheduler all ask this module. It works on plain data
(`Cell` rows and a `RosterContext` loaded in a fixed number of queries), so checking a whole
roster costs no query per cell.

Hard rules are refused: two shifts overlapping in time, a shift on approved time off, a shift
needing a skill the employee lacks, a credential that the employee's job, the shift type or its
skill requires and that is missing or not in force that day (a registered nurse needs a current RN
licence for any shift), a forbidden succession, less rest than the minimum. Soft rules are warnings:
limits on shifts of a type, worked minutes, weekly hours, runs of days and nights, days off,
weekends, and preferences. `Rule` is the catalogue of them all; the auto-scheduler encodes from it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from itertools import groupby

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hospital_ops.aggregates import JoinedText, split_ids
from hospital_ops.scoping import within
from records.models import Credential, CredentialType, Employee, EmployeeSkill, JobTitle, credential_in_force

from .models import LabourRules, Schedule, ShiftAssignment, ShiftPreference, ShiftType, ShiftTypeLimit, TimeOff
from .requirements import FIXED, UnitRequirements, load_requirements
from .scheduler_models import CellLock

HARD = "hard"
SOFT = "soft"


class Rule(StrEnum):
    """The rule catalogue: every rule a roster is checked against, with its code (what the API and
    pages carry), its label, whether it is hard (refused) or soft (a warning), and the template that
    explains a breach. A member is its code (`Rule.REST == "rest"`); nothing else spells a code."""

    # code, label, severity, explanation template
    SHIFT_TYPE = "shift_type", _("Shift"), HARD, "This is not one of this unit's shifts."
    EMPLOYEE = "employee", _("Staff"), HARD, "This employee is not on this unit."
    PERIOD = "period", _("Period"), HARD, "The date is outside the roster's period."
    TIME_OFF = "time_off", _("Time off"), HARD, "{name} has approved time off ({kind}) on {day}."
    SKILL = "skill", _("Skill"), HARD, "{shift} needs the skill {skill}, which {name} does not have."
    CREDENTIAL = "credential", _("Credential"), HARD, "{requirer} needs a valid {credential}; {name}'s {problem} {day}."
    ONE_A_DAY = "one_a_day", _("One shift a day"), HARD, "{name} has two shifts on {day}."
    OVERLAP = "overlap", _("Overlap"), HARD, "{name}'s shift on {day} overlaps the one on {other_day}."
    SUCCESSION = "succession", _("Succession"), HARD, "{shift} may not follow {previous} the next day ({day})."
    REST = "rest", _("Rest"), HARD, "{name} would rest {rest} h before {day}; the minimum is {minimum} h."
    MAX_SHIFTS = "max_shifts", _("Shift limit"), SOFT, "{name} has {count} {shift} shifts; at most {limit}."
    MAX_MINUTES = "max_minutes", _("Hours in period"), SOFT, "{name} works {hours} h; at most {limit} h."
    MIN_MINUTES = "min_minutes", _("Hours in period"), SOFT, "{name} works {hours} h; at least {limit} h."
    WEEKLY_HOURS = (
        "weekly_hours", _("Weekly hours"), SOFT,
        "{name} works {hours} h in the week of {day}; {over} h over the {limit} h threshold (overtime).",
    )
    MAX_CONSECUTIVE = (
        "max_consecutive", _("Days in a row"), SOFT, "{name} works {count} days in a row from {day}; at most {limit}."
    )
    MIN_CONSECUTIVE = (
        "min_consecutive", _("Days in a row"), SOFT,
        "{name} works only {count} day(s) in a row from {day}; at least {limit}.",
    )
    MIN_DAYS_OFF = (
        "min_days_off", _("Days off"), SOFT, "{name} has only {count} day(s) off from {day}; at least {limit}."
    )
    MAX_NIGHTS = (
        "max_nights", _("Nights in a row"), SOFT, "{name} works {count} nights in a row from {day}; at most {limit}."
    )
    MAX_WEEKENDS = "max_weekends", _("Weekends"), SOFT, "{name} works {count} weekends; at most {limit}."
    PREFERENCE = "preference", _("Preference"), SOFT, "{name} asked {wish} {shift} on {day}."

    def __new__(cls, code: str, label, severity: str, template: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.label, member.severity, member.template = label, severity, template
        return member

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD

    def explain(self, **values) -> str:
        return self.template.format(**values)

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(rule.value, rule.label) for rule in cls]

    @classmethod
    def label_of(cls, code) -> str:
        """The label of a code, or the code made readable if the catalogue does not know it."""
        try:
            return str(cls(str(code)).label)
        except ValueError:
            return str(code).replace("_", " ").capitalize()


@dataclass(frozen=True, order=True)
class Cell:
    employee_id: int
    date: dt.date
    shift_type_id: int


@dataclass(frozen=True)
class Violation:
    rule: Rule
    severity: str
    employee_id: int
    date: dt.date | None
    message: str
    weight: int = 0

    @property
    def is_hard(self) -> bool:
        return self.severity == HARD


def breach(rule: Rule, employee_id: int, on: dt.date | None, /, *, weight: int = 0, **values) -> Violation:
    """A violation of `rule` on a day (None: the whole roster), its severity and message from the catalogue."""
    return Violation(rule, rule.severity, employee_id, on, rule.explain(**values), weight)


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
    job_credentials: dict[int, list[CredentialType]]  # job title id -> credential types its holders need
    time_off: dict[int, list[tuple[dt.date, dt.date, str]]]
    rules: dict[int, Rules]
    preferences: list[ShiftPreference]
    requirements: UnitRequirements  # fixed rows and ratios, with the census the ratios read
    outside: list[tuple[int, dt.datetime, dt.datetime, dt.date, int]]  # shifts in other rosters nearby
    locked: frozenset[tuple[int, dt.date]] = frozenset()  # (employee id, day): cells the generator keeps

    def span(self, cell: Cell) -> tuple[dt.datetime, dt.datetime]:
        spans = _memo(self, "_spans", dict)  # a shift type's span on a day is the same in every row
        key = (cell.shift_type_id, cell.date)
        found = spans.get(key)
        if found is None:
            found = spans[key] = self.shift_types[cell.shift_type_id].span_on(cell.date)
        return found

    def minutes(self, cell: Cell) -> int:
        return self.shift_types[cell.shift_type_id].duration_minutes


def _memo(ctx: RosterContext, name: str, build):
    """A value derived from the context's rows, built on first use and kept with the context (a roster's
    check asks the same questions for each of its thousands of cells)."""
    found = ctx.__dict__.get(name)
    if found is None:
        found = ctx.__dict__[name] = build()
    return found


def roster_employees(schedule: Schedule):
    """Who can be rostered on this unit: its active staff and anyone already on the roster."""
    on_roster = ShiftAssignment.objects.filter(schedule=schedule).values("employee_id")
    return Employee.objects.filter(
        within(schedule.department) & Q(status=Employee.Status.ACTIVE)
        | Q(pk__in=on_roster)
    )


def load_context(schedule: Schedule, employee_ids: set[int] | None = None) -> RosterContext:
    """Everything the rules need about one roster, in a fixed number of queries."""
    return load_rosters([schedule], employee_ids)[schedule.pk][0]


def load_rosters(
    schedules: list[Schedule], employee_ids: set[int] | None = None, *, hard_only: bool = False
) -> dict[int, tuple[RosterContext, list[Cell]]]:
    """The rule context and the cells of each of one unit's rosters, by roster pk, in the same fixed
    number of queries for one roster as for several: each table is read once over the rosters' span
    and shared out per roster here (each roster's people, time off, preferences and nearby shifts).

    `employee_ids` checks those people instead of each roster's own (their cells, and whether each is
    home staff of the unit: `home`). `hard_only` leaves out what only soft rules and coverage read (the
    preferences and the unit's requirements): enough to say whether a person may work a
    shift."""
    schedules = list(schedules)
    if not schedules:
        return {}
    department = schedules[0].department
    if any(s.department_id != department.pk for s in schedules):
        raise ValueError("load_rosters takes rosters of one unit.")
    pks = [s.pk for s in schedules]
    first = min(s.start_date for s in schedules)
    last = max(s.end_date for s in schedules)

    successors = ShiftType.forbidden_successors.through.objects.filter(from_shifttype_id=OuterRef("pk"))
    shift_types = {
        s.pk: s
        for s in ShiftType.objects.filter(department=department)
        .select_related("required_skill", "required_credential")
        .prefetch_related("required_skill__required_credentials")
        .annotate(forbidden_next_ids=Subquery(  # the successors' ids folded into this query
            successors.values("from_shifttype_id")
            .annotate(ids=JoinedText(Cast("to_shifttype_id", CharField()), ","))
            .values("ids")
        ))
    }
    forbidden_next = {pk: split_ids(s.forbidden_next_ids) for pk, s in shift_types.items()}

    home = within(department) & Q(status=Employee.Status.ACTIVE)
    if employee_ids is not None:
        employees_qs = Employee.objects.filter(pk__in=employee_ids).annotate(
            home=ExpressionWrapper(home, output_field=BooleanField())
        )
    else:
        on_rosters = ShiftAssignment.objects.filter(schedule_id__in=pks).values("employee_id")
        employees_qs = Employee.objects.filter(home | Q(pk__in=on_rosters)).annotate(
            home=ExpressionWrapper(home, output_field=BooleanField())
        )
    everyone = {e.pk: e for e in employees_qs.select_related("job_title")}
    ids = set(everyone)

    skills: dict[int, set[int]] = defaultdict(set)
    credentials: dict[int, list] = defaultdict(list)
    time_off_rows = []
    job_credentials: dict[int, list[CredentialType]] = defaultdict(list)
    job_title_ids = {e.job_title_id for e in everyone.values()}
    locks: dict[int, set[tuple[int, dt.date]]] = defaultdict(set)
    for source, owner_id, ref, since, until, text in _people_facts(ids, job_title_ids, pks, first, last):
        if source == "lock":  # the ref is the roster
            locks[ref].add((owner_id, since))
        elif source == "skill":
            skills[owner_id].add(ref)
        elif source == "credential":
            credentials[owner_id].append((ref, since, until))
        elif source == "job_credential":  # the owner is a job title; the rules read a type's id and name
            job_credentials[owner_id].append(CredentialType(pk=ref, name=text))
        else:
            time_off_rows.append((owner_id, since, until, text))
    time_off_rows.sort(key=lambda row: row[1], reverse=True)  # latest first, as the time-off list shows them
    # The rosters' own cells and their people's shifts around them (in any roster), read together.
    shifts = Q(employee_id__in=ids, date__gte=first - dt.timedelta(days=2), date__lte=last + dt.timedelta(days=2))
    if employee_ids is None:
        shifts |= Q(schedule_id__in=pks)
    nearby = list(
        ShiftAssignment.objects.filter(shifts).values_list(
            "schedule_id", "employee_id", "starts_at", "ends_at", "date", "shift_type_id"
        )
    )
    cells: dict[int, list[Cell]] = {pk: [] for pk in pks}
    for schedule_id, employee_id, _starts, _ends, day, shift_type_id in nearby:
        if schedule_id in cells:
            cells[schedule_id].append(Cell(employee_id, day, shift_type_id))
    book = RulesBook.load(department_ids=department.lineage_ids, employee_ids=ids)
    if hard_only:
        preferences, requirements = [], UnitRequirements()
    else:
        preferences = list(
            ShiftPreference.objects.filter(employee_id__in=ids, date__gte=first, date__lte=last).select_related(
                "shift_type"
            )
        )
        requirements = load_requirements(department_ids=[department.pk], start=first, end=last).get(
            department.pk, UnitRequirements()
        )

    loaded = {}
    for schedule in schedules:
        start, end = schedule.start_date, schedule.end_date
        if employee_ids is None:
            mine = {c.employee_id for c in cells[schedule.pk]}
            employees = {pk: e for pk, e in everyone.items() if e.home or pk in mine}
        else:
            employees = everyone
        time_off: dict[int, list] = defaultdict(list)
        for employee_id, off_from, off_to, kind in time_off_rows:
            if employee_id in employees and off_from <= end and off_to >= start:
                time_off[employee_id].append((off_from, off_to, kind))
        near_from, near_to = start - dt.timedelta(days=2), end + dt.timedelta(days=2)
        ctx = RosterContext(
            schedule=schedule,
            days=schedule.days,
            shift_types=shift_types,
            forbidden_next=forbidden_next,
            employees=employees,
            skills=skills,
            credentials=credentials,
            job_credentials=job_credentials,
            time_off=time_off,
            rules=book.for_roster(department.lineage_ids, set(employees)),
            preferences=[p for p in preferences if p.employee_id in employees and start <= p.date <= end],
            requirements=requirements.for_period(start, end),
            outside=[
                row[1:] for row in nearby
                if row[0] != schedule.pk and row[1] in employees and near_from <= row[4] <= near_to
            ],
            locked=frozenset(locks.get(schedule.pk, ())),
        )
        loaded[schedule.pk] = (ctx, cells[schedule.pk])
    return loaded


def _people_facts(ids: set[int], job_title_ids: set[int], schedule_ids: list[int], first: dt.date, last: dt.date):
    """The people's skills, credentials and approved time off overlapping first..last, the credential types
    their job titles require and the rosters' locked cells, read in one query as (source, owner id, ref, from,
    to, text) rows: the owner is the employee (the job title for "job_credential"); the ref a skill, a
    credential type or (for "lock") the roster; from the lock's day; the text a time off's kind or a credential
    type's name."""

    def shaped(queryset, source: str, *, owner="employee_id", ref=None, since=None, until=None, text=None):
        none_date = Value(None, output_field=DateField())
        return queryset.order_by().annotate(
            fact_source=Value(source, output_field=CharField()),
            fact_owner=F(owner),
            fact_ref=F(ref) if ref else Value(None, output_field=IntegerField()),
            fact_since=F(since) if since else none_date,
            fact_until=F(until) if until else none_date,
            fact_text=F(text) if text else Value("", output_field=CharField()),
        ).values_list("fact_source", "fact_owner", "fact_ref", "fact_since", "fact_until", "fact_text")

    skills = shaped(EmployeeSkill.objects.filter(employee_id__in=ids), "skill", ref="skill_id")
    credentials = shaped(
        Credential.objects.filter(employee_id__in=ids), "credential",
        ref="credential_type_id", since="issued_on", until="expiry_date",
    )
    time_off = shaped(
        TimeOff.objects.filter(
            employee_id__in=ids, status=TimeOff.Status.APPROVED, start_date__lte=last, end_date__gte=first
        ),
        "time_off", since="start_date", until="end_date", text="kind",
    )
    job_credentials = shaped(
        JobTitle.required_credentials.through.objects.filter(jobtitle_id__in=job_title_ids), "job_credential",
        owner="jobtitle_id", ref="credentialtype_id", text="credentialtype__name",
    )
    locks = shaped(CellLock.objects.filter(schedule_id__in=schedule_ids), "lock", ref="schedule_id", since="date")
    return skills.union(credentials, time_off, job_credentials, locks, all=True)


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
        (None: all of them), in one query (each row's shift-type limits folded into it)."""
        query = Q(scope=LabourRules.Scope.HOSPITAL)
        query |= Q(department__isnull=False) if department_ids is None else Q(department_id__in=department_ids)
        query |= Q(employee__isnull=False) if employee_ids is None else Q(employee_id__in=employee_ids)
        limits = ShiftTypeLimit.objects.filter(rules_id=OuterRef("pk"))
        rows = list(LabourRules.objects.filter(query).annotate(limit_pairs=Subquery(  # folded into this query
            limits.values("rules_id")
            .annotate(pairs=JoinedText(Concat(Cast("shift_type_id", CharField()), Value(":"),
                                              Cast("max_shifts", CharField())), ","))
            .values("pairs")
        )))
        for row in rows:
            pairs = (pair.split(":") for pair in (row.limit_pairs or "").split(",") if pair)
            row.limits = {int(shift_type_id): int(most) for shift_type_id, most in pairs}
        return cls(rows)

    @staticmethod
    def _resolve(layers: list[LabourRules]) -> Rules:
        rules = Rules()
        for layer in layers:
            for name in LabourRules.RULE_FIELDS:
                value = getattr(layer, name)
                if value is not None:
                    setattr(rules, name, value)
            rules.shift_limits.update(layer.limits)
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
    """A day as the roster pages show it: "Mon 7 Dec"."""
    return _day_label(day, get_language())


@lru_cache(maxsize=4096)
def _day_label(day: dt.date, language: str | None) -> str:
    # A roster has a few dozen days and thousands of cells: each day is formatted once per language.
    return date_format(day, "D j M")


def _by_employee(rows, employee_of) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[employee_of(row)].append(row)
    return grouped


def _preferences_of(ctx: RosterContext, employee_id: int) -> list[ShiftPreference]:
    """The employee's preferences in this roster (grouped once per context, not scanned per employee)."""
    grouped = _memo(ctx, "_preferences_by_employee", lambda: _by_employee(ctx.preferences, lambda p: p.employee_id))
    return grouped.get(employee_id, [])


def _outside_of(ctx: RosterContext, employee_id: int) -> list[tuple[int, dt.datetime, dt.datetime, dt.date, int]]:
    """The employee's shifts in other rosters nearby (grouped once per context)."""
    return _memo(ctx, "_outside_by_employee", lambda: _by_employee(ctx.outside, lambda row: row[0])).get(
        employee_id, []
    )


def _held(ctx: RosterContext, employee_id: int, credential_type_id: int) -> list[tuple[int, dt.date, dt.date | None]]:
    """The employee's credentials of one type (grouped once per context)."""
    def build():
        grouped: dict[tuple[int, int], list] = defaultdict(list)
        for holder, rows in ctx.credentials.items():
            for row in rows:
                grouped[(holder, row[0])].append(row)
        return grouped

    return _memo(ctx, "_credentials_by_type", build).get((employee_id, credential_type_id), [])


def _required_of(ctx: RosterContext, employee: Employee, shift: ShiftType) -> list[tuple[str, CredentialType]]:
    """`required_credentials`, worked out once per job title and shift type."""
    known = _memo(ctx, "_required_credentials", dict)
    key = (employee.job_title_id, shift.pk)
    found = known.get(key)
    if found is None:
        found = known[key] = required_credentials(ctx, employee, shift)
    return found


def required_credentials(ctx: RosterContext, employee: Employee, shift: ShiftType) -> list[tuple[str, CredentialType]]:
    """What one cell requires, as (who requires it, credential type), each type once: the shift type's
    credential, the credentials of the skill it needs, and those of the employee's job."""
    needed: dict[int, tuple[str, CredentialType]] = {}
    if shift.required_credential_id:
        needed[shift.required_credential_id] = (shift.code, shift.required_credential)
    if shift.required_skill_id:
        for credential_type in shift.required_skill.required_credentials.all():
            needed.setdefault(credential_type.pk, (f"{shift.code} ({shift.required_skill.name})", credential_type))
    for credential_type in ctx.job_credentials.get(employee.job_title_id, ()):
        needed.setdefault(credential_type.pk, (f"Every {employee.job_title.name} shift", credential_type))
    return list(needed.values())


def _always_clear(ctx: RosterContext, employee: Employee, shift: ShiftType) -> bool:
    """Whether every day of the roster is clear for this person on this shift type as far as `check_cell` looks:
    no time off in the roster, the shift's skill held, and each credential it requires held by one credential
    in force from the roster's first day to its last (in force is one span of days, so all days between).
    Worked out once per person and shift type; cells of such a pair need no further look."""
    known = _memo(ctx, "_always_clear", dict)
    key = (employee.pk, shift.pk)
    found = known.get(key)
    if found is None:
        first, last = min(ctx.days, default=None), max(ctx.days, default=None)
        found = known[key] = first is not None and not ctx.time_off.get(employee.pk) and (
            not shift.required_skill_id or shift.required_skill_id in ctx.skills.get(employee.pk, ())
        ) and all(
            any(credential_in_force(issued, expiry, first) and credential_in_force(issued, expiry, last)
                for _type, issued, expiry in _held(ctx, employee.pk, credential_type.pk))
            for _requirer, credential_type in _required_of(ctx, employee, shift)
        )
    return found


def _credential_problem(held: list[tuple[int, dt.date, dt.date | None]], day: dt.date) -> str | None:
    """Why the credentials `held` (all of one type) do not cover `day`, or None when one does."""
    if any(credential_in_force(issued, expiry, day) for _type, issued, expiry in held):
        return None
    if any(expiry is not None and expiry < day for _type, _issued, expiry in held):
        return "has expired by"
    return "is not yet valid on" if held else "is missing for"


def check_cell(ctx: RosterContext, cell: Cell) -> list[Violation]:
    """Rules that a single cell breaks on its own: unknown shift, time off, skill, credential."""
    found = []
    shift = ctx.shift_types.get(cell.shift_type_id)
    employee = ctx.employees.get(cell.employee_id)
    if shift is None or not shift.is_active:
        return [breach(Rule.SHIFT_TYPE, cell.employee_id, cell.date)]
    if employee is None:
        return [breach(Rule.EMPLOYEE, cell.employee_id, cell.date)]
    in_period = cell.date in _memo(ctx, "_day_set", lambda: frozenset(ctx.days))
    if in_period and _always_clear(ctx, employee, shift):
        return found
    name = employee.full_name
    if not in_period:
        found.append(breach(Rule.PERIOD, cell.employee_id, cell.date))
    for start, end, kind in ctx.time_off.get(cell.employee_id, ()):
        if start <= cell.date <= end:
            found.append(breach(Rule.TIME_OFF, cell.employee_id, cell.date, name=name, day=_fmt(cell.date),
                                kind=kind.replace("_", " ")))
    if shift.required_skill_id and shift.required_skill_id not in ctx.skills.get(cell.employee_id, ()):
        found.append(breach(Rule.SKILL, cell.employee_id, cell.date, shift=shift.code,
                            skill=shift.required_skill.name, name=name))
    for requirer, credential_type in _required_of(ctx, employee, shift):
        problem = _credential_problem(_held(ctx, cell.employee_id, credential_type.pk), cell.date)
        if problem:
            found.append(breach(Rule.CREDENTIAL, cell.employee_id, cell.date, requirer=requirer,
                                credential=credential_type.name, name=name, problem=problem,
                                day=_fmt(cell.date)))
    return found


def check_employee(ctx: RosterContext, employee_id: int, cells: list[Cell]) -> list[Violation]:
    """Every rule for one employee's row of the roster (cells of this roster only)."""
    found: list[Violation] = []
    employee = ctx.employees.get(employee_id)
    name = employee.full_name if employee else f"Employee {employee_id}"
    cells = sorted(cells, key=lambda c: c.date)
    for cell in cells:
        found += check_cell(ctx, cell)
    if any(v.rule in {Rule.SHIFT_TYPE, Rule.EMPLOYEE} for v in found):
        return found
    rules = ctx.rules.get(employee_id, Rules())

    by_date: dict[dt.date, list[Cell]] = defaultdict(list)
    for cell in cells:
        by_date[cell.date].append(cell)
    for day, same_day in by_date.items():
        if len(same_day) > 1:
            found.append(breach(Rule.ONE_A_DAY, employee_id, day, name=name, day=_fmt(day)))

    # Time-based hard rules, with shifts in other rosters around this one included.
    spans = [(ctx.span(c), c.date, c.shift_type_id, True) for c in cells]
    spans += [((s, e), d, st, False) for _emp, s, e, d, st in _outside_of(ctx, employee_id)]
    spans.sort(key=lambda item: item[0][0])
    for (a_span, a_date, a_type, a_here), (b_span, b_date, b_type, b_here) in zip(spans, spans[1:], strict=False):
        if not (a_here or b_here):
            continue
        if b_span[0] < a_span[1]:
            found.append(breach(Rule.OVERLAP, employee_id, b_date, name=name, day=_fmt(b_date),
                                other_day=_fmt(a_date)))
            continue
        if (b_date - a_date).days == 1 and b_type in ctx.forbidden_next.get(a_type, ()):
            first, second = ctx.shift_types.get(a_type), ctx.shift_types.get(b_type)
            found.append(breach(Rule.SUCCESSION, employee_id, b_date, day=_fmt(b_date),
                                shift=second.code if second else "This shift",
                                previous=first.code if first else "the previous shift"))
        if rules.min_rest_hours is not None:
            rest = (b_span[0] - a_span[1]).total_seconds() / 3600
            if rest < float(rules.min_rest_hours):
                found.append(breach(Rule.REST, employee_id, b_date, name=name, day=_fmt(b_date),
                                    rest=f"{rest:.1f}", minimum=rules.min_rest_hours))

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
            found.append(breach(Rule.MAX_SHIFTS, employee_id, None, name=name, count=counts[shift_type_id],
                                shift=code, limit=limit))

    total = sum(ctx.minutes(c) for c in cells)
    if rules.max_minutes_per_period is not None and total > rules.max_minutes_per_period:
        found.append(breach(Rule.MAX_MINUTES, employee_id, None, name=name, hours=f"{total / 60:.1f}",
                            limit=f"{rules.max_minutes_per_period / 60:.1f}"))
    if rules.min_minutes_per_period is not None and total < rules.min_minutes_per_period:
        found.append(breach(Rule.MIN_MINUTES, employee_id, None, name=name, hours=f"{total / 60:.1f}",
                            limit=f"{rules.min_minutes_per_period / 60:.1f}"))

    if rules.max_weekly_minutes is not None:
        weeks: dict[dt.date, int] = defaultdict(int)
        for cell in cells:
            weeks[cell.date - dt.timedelta(days=cell.date.weekday())] += ctx.minutes(cell)
        for monday, minutes in sorted(weeks.items()):
            if minutes > rules.max_weekly_minutes:
                found.append(breach(Rule.WEEKLY_HOURS, employee_id, monday, name=name, hours=f"{minutes / 60:.1f}",
                                    day=_fmt(monday), over=f"{(minutes - rules.max_weekly_minutes) / 60:.1f}",
                                    limit=f"{rules.max_weekly_minutes / 60:.0f}"))

    days = ctx.days
    runs = _runs([d in worked for d in days])
    for start, length, working, inner in runs:
        day = days[start]

        def values(day=day, length=length):
            return {"name": name, "count": length, "day": _fmt(day)}

        if working and rules.max_consecutive_days is not None and length > rules.max_consecutive_days:
            found.append(breach(Rule.MAX_CONSECUTIVE, employee_id, day, limit=rules.max_consecutive_days, **values()))
        if working and inner and rules.min_consecutive_days is not None and length < rules.min_consecutive_days:
            found.append(breach(Rule.MIN_CONSECUTIVE, employee_id, day, limit=rules.min_consecutive_days,
                                **values()))
        if (not working and inner and rules.min_consecutive_days_off is not None
                and length < rules.min_consecutive_days_off):
            found.append(breach(Rule.MIN_DAYS_OFF, employee_id, day, limit=rules.min_consecutive_days_off,
                                **values()))

    if rules.max_consecutive_nights is not None:
        nights = {c.date for c in cells if ctx.shift_types[c.shift_type_id].is_night}
        for start, length, on_nights, _inner in _runs([d in nights for d in days]):
            if on_nights and length > rules.max_consecutive_nights:
                found.append(breach(Rule.MAX_NIGHTS, employee_id, days[start], name=name, count=length,
                                    day=_fmt(days[start]), limit=rules.max_consecutive_nights))

    if rules.max_weekends_per_period is not None:
        weekends = {d - dt.timedelta(days=d.weekday() - 5) for d in worked if d.weekday() >= 5}
        if len(weekends) > rules.max_weekends_per_period:
            found.append(breach(Rule.MAX_WEEKENDS, employee_id, None, name=name, count=len(weekends),
                                limit=rules.max_weekends_per_period))

    placed = {(c.date, c.shift_type_id) for c in cells}
    for pref in _preferences_of(ctx, employee_id):
        has_it = (pref.date, pref.shift_type_id) in placed
        wish = {ShiftPreference.Kind.WANT: "to work", ShiftPreference.Kind.AVOID: "not to work"}[pref.kind]
        if has_it == (pref.kind == ShiftPreference.Kind.AVOID):
            found.append(breach(Rule.PREFERENCE, employee_id, pref.date, weight=pref.priority, name=name, wish=wish,
                                shift=pref.shift_type.code, day=_fmt(pref.date)))
    return found


def _runs(flags: list[bool]) -> list[tuple[int, int, bool, bool]]:
    """(start index, length, value, inner) for each run; inner runs touch neither end."""
    runs = []
    start, total = 0, len(flags)
    for value, run in groupby(flags):
        end = start + len(list(run))
        runs.append((start, end - start, value, start > 0 and end < total))
        start = end
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
    source: str = FIXED  # FIXED, or the census ("census" / "forecast") a ratio turned into `required`
    census: float | None = None

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

    `requirements` are one unit's staffing requirements: a `UnitRequirements` (fixed rows, ratios and the census
    they read), or fixed rows alone (StaffingRequirement or rows with its fields); `UnitRequirements.need` says
    what a day's shift needs. `assigned(day, shift_type_id, skill_id)` counts the people rostered on that shift
    that day (with the skill, when one is given)."""
    requirements = UnitRequirements.of(requirements)
    keys = requirements.keys()
    rows = []
    for day in days:
        for shift_type_id, skill_id in keys:
            need = requirements.need(day, shift_type_id, skill_id)
            if need is None:
                continue
            rows.append(
                CoverageRow(day, shift_type_id, skill_id, need.count, assigned(day, shift_type_id, skill_id),
                            need.under_weight, need.over_weight, department_id, need.source, need.census)
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
