"""Nursing hours per patient day (HPPD): the one measure, asked for by the HPPD page, its export, the API and
finance's labour per patient day.

Actual HPPD of a unit in a month = the paid hours of the shifts on its rosters in force (approved or
published; the unpaid break is not nursing time) ÷ its patient days from the census (facilities/census.py).
Only units with patient days count, so an outpatient clinic's hours never inflate a ward's figure; a month
without a roster in force has no actual figure (its patient days are shown, and left out of the ratio). The target
is the unit's `HppdTarget` in force on the month's first day (or the first one set during the month); for
several units, targets are weighted by patient days, as hours are added up against patient days."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DateField, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from facilities import census
from hospital_ops import data_version, scoping
from hospital_ops.scoping import hospital_zone
from records.models import Department

from .access import manageable_units
from .models import HppdTarget
from .selectors import worked_shifts

ZERO = Decimal("0")
PLACES = Decimal("0.01")


def hours_per_patient_day(hours: Decimal, patient_days) -> Decimal | None:
    """Hours ÷ patient days to the hundredth, or None without patient days."""
    if not patient_days:
        return None
    return (Decimal(hours) / Decimal(patient_days)).quantize(PLACES, ROUND_HALF_UP)


@dataclass
class HppdFigure:
    """Nursing hours and patient days of a unit's month (or of several added up), with the target."""

    hours: Decimal = ZERO
    patient_days: int = 0
    rostered_days: int = 0  # patient days of the unit-months with a roster in force: what hours are set against
    target_hours: Decimal = ZERO  # Σ target × patient days, over what has a target
    targeted_days: int = 0

    @property
    def actual(self) -> Decimal | None:
        """None for a month without a roster in force (no figure, rather than no care)."""
        return hours_per_patient_day(self.hours, self.rostered_days)

    @property
    def target(self) -> Decimal | None:
        return hours_per_patient_day(self.target_hours, self.targeted_days)

    @property
    def variance(self) -> Decimal | None:
        """Actual − target: positive is more care hours than planned."""
        return None if self.actual is None or self.target is None else self.actual - self.target

    def add(self, other: HppdFigure) -> HppdFigure:
        self.hours += other.hours
        self.patient_days += other.patient_days
        self.rostered_days += other.rostered_days
        self.target_hours += other.target_hours
        self.targeted_days += other.targeted_days
        return self


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def hppd_by_unit_month(*, within=None, unit_ids=None, start: dt.date, end: dt.date
                       ) -> dict[tuple[int, dt.date], HppdFigure]:
    """{(unit id, first of month): HppdFigure} over the months of [start, end], for `within`'s subtree (None:
    the hospital), narrowed to `unit_ids` when given. The month in progress counts its days gone (those with a
    midnight census) on both sides. A fixed number of queries, whatever the size; kept in the cache for the
    version of the data they are worked out from (`hospital_ops.data_version`: any committed write to rosters,
    staff or beds moves it), so a page viewed again reads one version and no shift or stay."""
    start, end = start.replace(day=1), month_end(end)
    yesterday = timezone.localdate(timezone.now(), hospital_zone()) - dt.timedelta(days=1)
    units = "all" if unit_ids is None else ",".join(str(pk) for pk in sorted(unit_ids))
    wanted = hashlib.sha256(f"{within.pk if within else ''}:{units}".encode()).hexdigest()[:16]
    return data_version.kept(
        "hppd", (wanted, start.isoformat(), end.isoformat(), yesterday.isoformat()),
        lambda: _hppd_by_unit_month(within=within, unit_ids=unit_ids, start=start, end=end, yesterday=yesterday),
    )


def _hppd_by_unit_month(*, within, unit_ids, start: dt.date, end: dt.date, yesterday: dt.date
                        ) -> dict[tuple[int, dt.date], HppdFigure]:
    hours: dict[tuple[int, dt.date], Decimal] = {}
    shifts = worked_shifts(within=within, start=start, end=min(end, yesterday))
    if unit_ids is not None:
        shifts = shifts.filter(schedule__department_id__in=list(unit_ids))
    for unit_id, month, minutes in (
        shifts.annotate(month=TruncMonth("date", output_field=DateField()))
        .values_list("schedule__department_id", "month")
        .annotate(minutes=Sum("shift_type__paid_minutes"))
        .order_by()
    ):
        hours[(unit_id, month)] = Decimal(minutes or 0) / 60
    if within is not None:
        subtree = set(Department.objects.filter(scoping.within(within, "")).values_list("pk", flat=True))
        unit_ids = subtree if unit_ids is None else subtree & set(unit_ids)
    days = census.patient_days_by_month(start=start, end=end, unit_ids=unit_ids)
    targets: dict[int, list[HppdTarget]] = defaultdict(list)
    wanted = HppdTarget.objects.filter(effective_from__lte=end).order_by("department_id", "-effective_from")
    if unit_ids is not None:
        wanted = wanted.filter(department_id__in=list(unit_ids))
    for target in wanted:
        targets[target.department_id].append(target)
    result: dict[tuple[int, dt.date], HppdFigure] = {}
    for (unit_id, month), patient_days in days.items():
        if not patient_days:
            continue
        rostered = (unit_id, month) in hours
        figure = result[(unit_id, month)] = HppdFigure(
            hours=hours.get((unit_id, month), ZERO).quantize(PLACES, ROUND_HALF_UP), patient_days=patient_days,
            rostered_days=patient_days if rostered else 0,
        )
        target = target_on(targets.get(unit_id, ()), month)
        if target is not None:
            figure.target_hours, figure.targeted_days = target * patient_days, patient_days
    return result


def target_on(targets: list[HppdTarget], month: dt.date) -> Decimal | None:
    """Of one unit's targets (newest first), the one in force on the month's first day, or the first set
    during the month."""
    last = month_end(month)
    during = [t for t in targets if month <= t.effective_from <= last]
    for target in targets:
        if target.effective_from <= month:
            return target.hours_per_patient_day
    return during[-1].hours_per_patient_day if during else None


def total(figures, unit_ids=None) -> HppdFigure:
    """The figures added up (over `unit_ids` only, when given)."""
    result = HppdFigure()
    for (unit_id, _month), figure in figures.items():
        if unit_ids is None or unit_id in unit_ids:
            result.add(figure)
    return result


@dataclass
class HppdRow:
    unit: object  # Department
    month: dt.date
    figure: HppdFigure


def hppd_rows(user, *, unit=None, start: dt.date, end: dt.date) -> list[HppdRow]:
    """One row per unit the user runs (heads: theirs and their units; managers: all) and month, within `unit`'s
    subtree when given, ordered by unit code and month. A fixed number of queries."""
    allowed = set(manageable_units(user).values_list("pk", flat=True))
    figures = hppd_by_unit_month(within=unit, start=start, end=end)
    keys = [key for key in figures if key[0] in allowed]
    names = {d.pk: d for d in Department.objects.filter(pk__in={key[0] for key in keys}).only("code", "name", "path")}
    return [HppdRow(names[unit_id], month, figures[(unit_id, month)])
            for unit_id, month in sorted(keys, key=lambda key: (names[key[0]].code, key[1]))]


def by_month(rows: list[HppdRow]) -> dict[dt.date, HppdFigure]:
    """The rows added up per month."""
    result: dict[dt.date, HppdFigure] = {}
    for row in rows:
        result.setdefault(row.month, HppdFigure()).add(row.figure)
    return dict(sorted(result.items()))
