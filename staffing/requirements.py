"""How many people a unit needs on a shift of a day: the one answer the roster's coverage row, the rule
check, approval, the staffing measures and the auto-scheduler all read (through `rules.coverage_rows`).

A unit states its needs three ways: a weekday pattern (fixed counts), census-driven ratios
(`StaffingRatio`: one person per so many patients, or hours per patient day), and a fixed count for one date.
For a day, shift and skill, a date's own requirement wins; else a ratio in force that day; else the weekday's
pattern. A ratio turns the unit's census (the midnight census for days gone, the forecast for today and
later, see facilities/census_outlook.py) into a head count, never below its minimum."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from facilities.census_outlook import CensusDay, census_by_day
from hospital_ops import scoping

from .models import StaffingRatio, StaffingRequirement

FIXED = "fixed"


@dataclass(frozen=True)
class Need:
    """People required on a shift of a day, what a gap and a surplus cost, and where the count came from:
    FIXED, or the census ("census" / "forecast") it was computed from."""

    count: int
    under_weight: int
    over_weight: int
    source: str = FIXED
    census: float | None = None


def ratio_head_count(ratio: StaffingRatio, census: float) -> int:
    """People a ratio asks for at a census: ⌈census ÷ patients per person⌉, or ⌈hours per patient day ×
    census × the shift's share ÷ the shift's hours⌉; never below the ratio's minimum."""
    patients = Decimal(str(round(census, 2)))
    if ratio.basis == StaffingRatio.Basis.PATIENTS:
        exact = patients / ratio.patients_per_person
    else:
        hours = ratio.hours_per_patient_day * patients * ratio.share_percent / 100
        exact = hours * 60 / ratio.shift_type.duration_minutes
    return max(ratio.minimum, math.ceil(exact))


class UnitRequirements:
    """One unit's requirements over some days: its fixed rows, its ratios and the census they read.
    Iterating gives every requirement row (fixed and ratio), for their shifts and skills."""

    def __init__(self, fixed: Iterable = (), ratios: Iterable[StaffingRatio] = (),
                 census: dict[dt.date, CensusDay] | None = None):
        self.fixed = list(fixed)
        self.ratios = sorted(ratios, key=lambda r: r.effective_from, reverse=True)  # newest first
        self.census = census or {}
        self._pattern = {(r.shift_type_id, r.skill_id, r.weekday): r for r in self.fixed if not r.on_date}
        self._dated = {(r.shift_type_id, r.skill_id, r.on_date): r for r in self.fixed if r.on_date}
        self._ratios: dict[tuple[int, int | None], list[StaffingRatio]] = defaultdict(list)
        for ratio in self.ratios:
            self._ratios[(ratio.shift_type_id, ratio.skill_id)].append(ratio)

    def __iter__(self):
        yield from self.fixed
        yield from self.ratios

    def __len__(self):
        return len(self.fixed) + len(self.ratios)

    def keys(self) -> list[tuple[int, int | None]]:
        """(shift type id, skill id) of every requirement, in a stable order."""
        found = {(r.shift_type_id, r.skill_id) for r in self}
        return sorted(found, key=lambda key: (key[0], key[1] or 0))

    def ratio_on(self, day: dt.date, shift_type_id: int, skill_id: int | None) -> StaffingRatio | None:
        """The ratio in force that day: the latest begun, unless it has ended."""
        for ratio in self._ratios.get((shift_type_id, skill_id), ()):
            if ratio.effective_from <= day:
                return ratio if ratio.in_force(day) else None
        return None

    def need(self, day: dt.date, shift_type_id: int, skill_id: int | None) -> Need | None:
        """People required on this shift that day (for this skill, or anyone), or None when nothing is set."""
        dated = self._dated.get((shift_type_id, skill_id, day))
        if dated is not None:
            return Need(dated.required_count, dated.under_weight, dated.over_weight)
        ratio = self.ratio_on(day, shift_type_id, skill_id)
        if ratio is not None:
            known = self.census.get(day)
            if known is not None:
                return Need(ratio_head_count(ratio, known.value), ratio.under_weight, ratio.over_weight,
                            known.source, known.value)
        pattern = self._pattern.get((shift_type_id, skill_id, day.weekday()))
        if pattern is not None:
            return Need(pattern.required_count, pattern.under_weight, pattern.over_weight)
        if ratio is not None:  # no census known that far ahead, and no pattern to fall back on
            return Need(ratio.minimum, ratio.under_weight, ratio.over_weight)
        return None

    def for_period(self, start: dt.date, end: dt.date) -> UnitRequirements:
        """The same requirements, keeping what bears on [start, end]."""
        return UnitRequirements(
            [r for r in self.fixed if r.on_date is None or start <= r.on_date <= end],
            [r for r in self.ratios if r.effective_from <= end and (r.effective_until is None
                                                                    or r.effective_until >= start)],
            {day: c for day, c in self.census.items() if start <= day <= end},
        )

    @classmethod
    def of(cls, requirements) -> UnitRequirements:
        return requirements if isinstance(requirements, cls) else cls(requirements)


def load_requirements(*, within=None, department_ids=None, start: dt.date, end: dt.date,
                      fixed_fields: tuple[str, ...] | None = None) -> dict[int, UnitRequirements]:
    """{unit id: UnitRequirements over [start, end]} for `within`'s subtree (None: the hospital) or the units
    `department_ids`: two queries, three when a ratio is in force (the census), plus the forecasts."""
    unit = Q(department_id__in=department_ids) if department_ids is not None else scoping.within(within)
    fixed = StaffingRequirement.objects.filter(unit).filter(Q(on_date__isnull=True) | Q(on_date__gte=start,
                                                                                         on_date__lte=end))
    fixed = fixed.only(*fixed_fields) if fixed_fields else fixed.select_related("shift_type", "skill")
    rows: dict[int, list] = defaultdict(list)
    for requirement in fixed:
        rows[requirement.department_id].append(requirement)
    ratios: dict[int, list[StaffingRatio]] = defaultdict(list)
    for ratio in StaffingRatio.objects.filter(unit, effective_from__lte=end).filter(
        Q(effective_until__isnull=True) | Q(effective_until__gte=start)
    ).select_related("shift_type", "skill"):
        ratios[ratio.department_id].append(ratio)
    census = census_by_day(unit_ids=ratios, start=start, end=end) if ratios else {}
    return {
        unit_id: UnitRequirements(rows.get(unit_id, ()), ratios.get(unit_id, ()), census.get(unit_id))
        for unit_id in set(rows) | set(ratios)
    }
