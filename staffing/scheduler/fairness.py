"""Fairness: nights, weekend shifts and public-holiday shifts spread in proportion to FTE.

A person's fair share of a kind of shift is the roster's need of that kind (from its staffing
requirements) times their FTE over the FTE of everyone on the roster. The spread is the sum, over
people and kinds, of the distance between what they work and their share rounded to a whole shift;
the generator minimises it times the unit's weight. Public holidays are those of the hospital's
country and region (`HOSPITAL_HOLIDAY_COUNTRY`, `HOSPITAL_HOLIDAY_REGION`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

import holidays
from django.conf import settings

from .. import rules
from ..rules import Cell, RosterContext

KINDS = ("nights", "weekends", "holidays")
LABELS = {"nights": "Nights", "weekends": "Weekend shifts", "holidays": "Public-holiday shifts"}


@lru_cache(maxsize=32)
def _calendar(country: str, region: str, year: int):
    try:
        return holidays.country_holidays(country, subdiv=region or None, years=year)
    except (NotImplementedError, KeyError):
        return {}


def public_holidays(first: dt.date, last: dt.date) -> dict[dt.date, str]:
    """The hospital's public holidays between two days, with their names."""
    country = getattr(settings, "HOSPITAL_HOLIDAY_COUNTRY", "US")
    region = getattr(settings, "HOSPITAL_HOLIDAY_REGION", "")
    found = {}
    for year in range(first.year, last.year + 1):
        for day, name in _calendar(country, region, year).items():
            if first <= day <= last:
                found[day] = name
    return found


def kinds_of(ctx: RosterContext, day: dt.date, shift_type_id: int, holiday_days) -> list[str]:
    """The kinds a shift counts for."""
    found = []
    if ctx.shift_types[shift_type_id].is_night:
        found.append("nights")
    if day.weekday() >= 5:
        found.append("weekends")
    if day in holiday_days:
        found.append("holidays")
    return found


def _holidays(ctx: RosterContext) -> dict[dt.date, str]:
    return public_holidays(ctx.days[0], ctx.days[-1])


def shares(ctx: RosterContext, employee_ids=None) -> dict[int, dict[str, Decimal]]:
    """Each person's fair share of each kind over the roster."""
    holiday_days = _holidays(ctx)
    need = dict.fromkeys(KINDS, 0)
    for row in rules.coverage_rows(ctx.days, ctx.requirements, lambda *_: 0):
        if row.skill_id is not None:
            continue
        for kind in kinds_of(ctx, row.date, row.shift_type_id, holiday_days):
            need[kind] += row.required
    people = sorted(employee_ids if employee_ids is not None else ctx.employees)
    fte = {pk: Decimal(ctx.employees[pk].fte or 0) for pk in people}
    total = sum(fte.values()) or Decimal(1)
    return {pk: {kind: need[kind] * fte[pk] / total for kind in KINDS} for pk in people}


def counts(ctx: RosterContext, cells: list[Cell]) -> dict[int, dict[str, int]]:
    holiday_days = _holidays(ctx)
    found = {pk: dict.fromkeys(KINDS, 0) for pk in ctx.employees}
    for cell in cells:
        if cell.shift_type_id not in ctx.shift_types:
            continue
        row = found.setdefault(cell.employee_id, dict.fromkeys(KINDS, 0))
        for kind in kinds_of(ctx, cell.date, cell.shift_type_id, holiday_days):
            row[kind] += 1
    return found


def target(share: Decimal) -> int:
    """A share rounded to whole shifts (half up), the point the spread is measured from."""
    return int(share.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def spread(share_table, count_table) -> int:
    return sum(
        abs(count_table.get(pk, {}).get(kind, 0) - target(share[kind]))
        for pk, share in share_table.items()
        for kind in KINDS
    )


def model_spread(built):
    """The spread as a model expression over the built roster's variables."""
    ctx, model = built.ctx, built.model
    holiday_days = _holidays(ctx)
    table = shares(ctx, built.employees)
    terms = []
    by_employee: dict[int, dict[str, list]] = {pk: {kind: [] for kind in KINDS} for pk in built.employees}
    for (e, d, s), var in built.x.items():
        for kind in kinds_of(ctx, built.days[d], s, holiday_days):
            by_employee[e][kind].append(var)
    for pk, share in table.items():
        for kind in KINDS:
            goal = target(share[kind])
            worked = by_employee[pk][kind]
            if not worked:
                terms.append(goal)
                continue
            distance = model.new_int_var(0, max(goal, len(worked)), f"fair_{pk}_{kind}")
            model.add(distance >= sum(worked) - goal)
            model.add(distance >= goal - sum(worked))
            terms.append(distance)
    return sum(terms)
