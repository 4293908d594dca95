"""Reads for the auto-scheduler's pages: a run's changes, the fairness table and the gaps explained."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Value

from . import rules
from .generation_services import cells_from_json
from .models import Generation, Schedule, ShiftAssignment
from .scheduler import explain, fairness

HISTORY_WEEKS = 12
CHANGES_SHOWN = 500


def latest_generation(schedule: Schedule) -> Generation | None:
    return (Generation.objects.filter(schedule=schedule).select_related("job", "requested_by", "decided_by")
            .order_by("-created_at", "-pk").first())


@dataclass
class ChangeLine:
    name: str
    date: dt.date
    before: str
    after: str


def changes(ctx: rules.RosterContext, generation: Generation) -> list[ChangeLine]:
    old = {(c.employee_id, c.date): c.shift_type_id for c in cells_from_json(generation.before)}
    new = {(c.employee_id, c.date): c.shift_type_id for c in cells_from_json(generation.after)}

    def code(pk):
        return ctx.shift_types[pk].code if pk in ctx.shift_types else "—" if pk is None else "?"

    def name(pk):
        employee = ctx.employees.get(pk)
        return f"{employee.last_name}, {employee.first_name}" if employee else str(pk)

    keys = sorted((k for k in old.keys() | new.keys() if old.get(k) != new.get(k)), key=lambda k: (name(k[0]), k[1]))
    return [ChangeLine(name(e), d, code(old.get((e, d))), code(new.get((e, d)))) for e, d in keys[:CHANGES_SHOWN]]


@dataclass
class FairnessLine:
    employee_id: int
    name: str
    fte: Decimal
    roster: dict[str, tuple[int, Decimal]]  # kind -> (count, fair share)
    history: dict[str, tuple[int, Decimal]]


def fairness_table(ctx: rules.RosterContext, cells: list[rules.Cell]) -> list[FairnessLine]:
    """Each person's nights, weekend and public-holiday shifts against their FTE share: on this roster,
    and over the twelve weeks before it (the unit's other rosters)."""
    shares = fairness.shares(ctx)
    counts = fairness.counts(ctx, cells)
    first = ctx.days[0]
    since = first - dt.timedelta(weeks=HISTORY_WEEKS)
    holiday_days = fairness.public_holidays(since, first)
    # counted by the database, a row per person: twelve weeks of a large unit are thousands of shifts
    past = (
        ShiftAssignment.objects.filter(employee_id__in=list(ctx.employees), date__gte=since, date__lt=first)
        .exclude(schedule=ctx.schedule)
        .order_by()
        .values("employee_id")
        .annotate(
            nights=Count("pk", filter=Q(shift_type__is_night=True)),
            weekends=Count("pk", filter=Q(date__week_day__in=(1, 7))),  # Sunday and Saturday
            holidays=Count("pk", filter=Q(date__in=list(holiday_days))) if holiday_days else Value(0),
        )
        .values_list("employee_id", *fairness.KINDS)
    )
    worked: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(fairness.KINDS, 0))
    totals = dict.fromkeys(fairness.KINDS, 0)
    for employee_id, *numbers in past:
        for kind, number in zip(fairness.KINDS, numbers, strict=True):
            worked[employee_id][kind] += number
            totals[kind] += number
    total_fte = sum(Decimal(e.fte or 0) for e in ctx.employees.values()) or Decimal(1)
    lines = []
    for employee in sorted(ctx.employees.values(), key=lambda e: (e.last_name, e.first_name, e.pk)):
        fte = Decimal(employee.fte or 0)
        lines.append(FairnessLine(
            employee.pk, f"{employee.last_name}, {employee.first_name}", fte,
            {k: (counts.get(employee.pk, {}).get(k, 0), shares[employee.pk][k].quantize(Decimal("0.1")))
             for k in fairness.KINDS},
            {k: (worked[employee.pk][k], (totals[k] * fte / total_fte).quantize(Decimal("0.1")))
             for k in fairness.KINDS},
        ))
    return lines


def roster_fairness(ctx: rules.RosterContext, cells: list[rules.Cell]) -> dict:
    """The fairness table and its labels, for a roster whose rules and cells are already loaded (one
    query: the twelve weeks before it)."""
    return {
        "fairness": fairness_table(ctx, cells),
        "fairness_labels": fairness.LABELS,
        "holidays": fairness.public_holidays(ctx.days[0], ctx.days[-1]),
    }


def _roster(schedule: Schedule) -> tuple[rules.RosterContext, list[rules.Cell]]:
    """The roster's rule context and its cells (in cell order), in the rule check's fixed queries."""
    ctx, cells = rules.load_rosters([schedule])[schedule.pk]
    return ctx, sorted(cells)


def roster_review(schedule: Schedule, generation: Generation | None, *, gap_limit: int = 60) -> dict:
    """Everything the generation page shows about the roster as it stands: the gaps without their
    candidates (`gap_explained` gives one gap's, when the page opens it) and the locked cells."""
    ctx, cells = _roster(schedule)
    return {
        "ctx": ctx,
        "changes": changes(ctx, generation) if generation and generation.after else [],
        "gaps": explain.explain_gaps(ctx, cells, limit=gap_limit, candidates=False),
        "locks": locked_cells(ctx),
        "fairness": fairness_table(ctx, cells),
        "fairness_labels": fairness.LABELS,
        "holidays": fairness.public_holidays(ctx.days[0], ctx.days[-1]),
    }


@dataclass
class LockedCell:
    employee_id: int
    employee: object  # Employee
    date: dt.date


def locked_cells(ctx: rules.RosterContext) -> list[LockedCell]:
    """The roster's locked cells of its people, by day and name, from the rule context (which reads them
    with the people's facts)."""
    locks = [LockedCell(employee_id, ctx.employees[employee_id], day)
             for employee_id, day in ctx.locked if employee_id in ctx.employees]
    return sorted(locks, key=lambda lock: (lock.date, lock.employee.last_name, lock.employee.first_name,
                                           lock.employee.employee_number))


def gap_explained(schedule: Schedule, *, day: dt.date, shift_type_id: int, skill_id: int | None,
                  gap_limit: int = 60) -> explain.GapExplanation | None:
    """One gap of the roster with each person who could have covered it and why not, or None when the
    roster has no such gap (any more) among the `gap_limit` the page shows."""
    ctx, cells = _roster(schedule)
    found = explain.explain_gaps(ctx, cells, limit=gap_limit, only=(day, shift_type_id, skill_id))
    return found[0] if found else None
