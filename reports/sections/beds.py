"""Beds and census: the board report's beds section, and the monthly utilisation report (by unit and for the
scope). Every figure is one of the facilities census measures (facilities.census.utilisation); this module only
picks the periods, groups units under their departments and lays the figures out. No stay is named: the
board sees aggregates only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from facilities import census
from records.models import Department

from ..charts import Series, line_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import today
from . import KeyFigure, Section, register

TOP_UNITS = 8  # the board sees the fullest units by name, the rest in their departments' totals
TREND_MONTHS = 6  # the occupancy trend: this month and the five before, against the same months a year earlier

NOTES = [
    "Beds: occupancy is patient days over bed-days (beds × days of the month), against staffed beds and against "
    "all licensed beds in use. Patient days are the midnight census plus stays admitted and discharged the same "
    "day; the average length of stay is patient days over discharges; bed turnover is discharges per staffed bed. "
    "A month still running is counted to its last midnight.",
]


@dataclass
class Measures:
    """The census measures of a scope for one month: each unit's, and the scope's whole."""

    period: Period
    by_unit: dict[int, census.Utilisation]
    whole: census.Utilisation


def counted_until(period: Period) -> dt.date:
    """The last day of the period whose midnight has passed (a running month stops at yesterday)."""
    return max(period.start, min(period.end, today() - dt.timedelta(days=1)))


def unit_ids(scope: Scope) -> list[int] | None:
    """The units whose beds the scope covers: all (None) for the hospital, else the department's subtree."""
    return None if scope.is_hospital else [department.pk for department in scope.departments()]


def measures(scope: Scope, period: Period) -> Measures:
    return monthly_measures(scope, [period])[0]


def monthly_measures(scope: Scope, months: list[Period]) -> list[Measures]:
    """The measures of consecutive months, each as `measures` gives it, from one census pass over them all."""
    found = census.utilisation_by_period([(month.start, counted_until(month)) for month in months],
                                         unit_ids=unit_ids(scope))
    return [Measures(month, by_unit, whole) for month, (by_unit, whole) in zip(months, found, strict=True)]


def same_month_last_year(period: Period) -> Period:
    return Period.month(period.start.year - 1, period.start.month)


def _number(value) -> float | None:
    return None if value is None else float(value)


def _unit_names(*measure_sets: Measures) -> dict[int, Department]:
    ids = {pk for measures_ in measure_sets for pk in measures_.by_unit}
    return {d.pk: d for d in Department.objects.filter(pk__in=ids)}


def _row(label: str, m: census.Utilisation, *, code: str = "") -> dict:
    return {
        "label": label, "code": code, "staffed_beds": m.staffed_beds, "licensed_beds": m.licensed_beds,
        "patient_days": m.patient_days, "average_census": m.average_census,
        "occupancy_staffed": m.occupancy_staffed, "occupancy_licensed": m.occupancy_licensed,
        "admissions": m.admissions, "discharges": m.discharges, "transfers_in": m.transfers_in,
        "transfers_out": m.transfers_out, "alos": m.average_length_of_stay, "turnover": m.turnover,
        "blocked_bed_days": m.blocked_bed_days, "cleaning_minutes": m.cleaning_minutes, "cleanings": m.cleanings,
        "boarding_hours": m.boarding_hours, "boarded": m.boarded,
    }


def _by_department(scope: Scope, current: Measures) -> list[dict]:
    """The scope's units added up under its rows (top-level departments; a department's direct units)."""
    heads, owner = scope.groups()
    grouped: dict[int, list[census.Utilisation]] = {}
    for unit_id, measure in current.by_unit.items():
        if unit_id in owner:
            grouped.setdefault(owner[unit_id], []).append(measure)
    rows = []
    for head in heads:
        if head.pk in grouped:
            total = census.combine(grouped[head.pk], days=current.whole.days, start=current.period.start)
            rows.append(_row(head.name, total, code=head.code))
    return rows


def _monthly_trend(recent: list[Measures], a_year_earlier: list[Measures]) -> tuple[list[str], list, list]:
    """Staffed occupancy of the recent months and of the same months a year earlier."""
    labels = [f"{m.period.start:%b}" for m in recent]
    return (labels, [_number(m.whole.occupancy_staffed) for m in recent],
            [_number(m.whole.occupancy_staffed) for m in a_year_earlier])


# The board report -----------------------------------------------------------------------------------------


def build_board(scope: Scope, period: Period) -> dict:
    recent = monthly_measures(scope, period.months_back(TREND_MONTHS))
    a_year_earlier = monthly_measures(scope, same_month_last_year(period).months_back(TREND_MONTHS))
    current, previous, last_year = recent[-1], recent[-2], a_year_earlier[-1]
    names = _unit_names(current)
    fullest = sorted(
        (m for m in current.by_unit.values() if m.staffed_beds and m.occupancy_staffed is not None),
        key=lambda m: (-m.occupancy_staffed, names[m.unit_id].code if m.unit_id in names else ""),
    )[:TOP_UNITS]
    labels, now, before = _monthly_trend(recent, a_year_earlier)
    whole, prev, year = current.whole, previous.whole, last_year.whole
    return {
        "current": _row(scope.label, whole),
        "previous": _row(period.previous().label, prev),
        "last_year": _row(same_month_last_year(period).label, year),
        "last_year_label": same_month_last_year(period).label,
        "through": counted_until(period),
        "by_department": _by_department(scope, current),
        "top_units": [_row(names[m.unit_id].name, m, code=names[m.unit_id].code) for m in fullest
                      if m.unit_id in names],
        "unit_count": len([m for m in current.by_unit.values() if m.licensed_beds]),
        "trend_chart": line_chart(
            "Staffed-bed occupancy by month, against the same months a year earlier", labels,
            [Series("This year", now), Series("A year earlier", before, "#9fbbd6")], unit="%",
            width=520, height=170,
        ),
        "key_figures": [
            KeyFigure("Bed occupancy (staffed beds)", _number(whole.occupancy_staffed),
                      _number(prev.occupancy_staffed), unit="%"),
            KeyFigure("Bed occupancy (licensed beds)", _number(whole.occupancy_licensed),
                      _number(prev.occupancy_licensed), unit="%"),
            KeyFigure("Average length of stay", _number(whole.average_length_of_stay),
                      _number(prev.average_length_of_stay), unit="days", digits=2, higher_is_better=False),
            KeyFigure("Admissions", whole.admissions, prev.admissions),
            KeyFigure("Discharges", whole.discharges, prev.discharges),
        ],
        "notes": NOTES,
    }


register(Section(
    key="beds",
    title="Beds and patient flow",
    kinds=(ReportKind.BOARD,),
    build=build_board,
    template="reports/sections/beds.html",
    order=40,
    description="Occupancy against staffed and licensed beds, length of stay, admissions and discharges, "
    "against last month and the same month last year; by department and the fullest units.",
))


# The monthly utilisation report -------------------------------------------------------------------------

MEASURES = [  # (key, label, digits, higher is better)
    ("occupancy_staffed", "Occupancy, staffed beds (%)", 1, True),
    ("occupancy_licensed", "Occupancy, licensed beds (%)", 1, True),
    ("patient_days", "Patient days", 0, True),
    ("average_census", "Average midnight census", 1, True),
    ("admissions", "Admissions", 0, True),
    ("discharges", "Discharges", 0, True),
    ("transfers_in", "Transfers in", 0, True),
    ("transfers_out", "Transfers out", 0, True),
    ("alos", "Average length of stay (days)", 2, False),
    ("turnover", "Bed turnover (discharges per staffed bed)", 2, True),
    ("blocked_bed_days", "Blocked bed-days", 1, False),
    ("cleaning_minutes", "Cleaning turnaround (minutes)", 1, False),
    ("boarding_hours", "Emergency boarding hours", 1, False),
]


def _text(value, digits: int) -> str:
    return "—" if value is None else f"{float(value):,.{digits}f}"


def _change(now, before, digits: int, higher_is_better: bool) -> tuple[str, str]:
    """The change as text (+1.5, −3) and its reading: better, worse or same."""
    if now is None or before is None:
        return "—", "same"
    change = round(float(now) - float(before), digits)
    if not change:
        return "no change", "same"
    trend = "better" if (change > 0) == higher_is_better else "worse"
    return f"{'+' if change > 0 else '−'}{abs(change):,.{digits}f}", trend


def _units(scope: Scope, current: Measures, previous: Measures, last_year: Measures) -> dict:
    names = _unit_names(current, previous, last_year)
    units = sorted((pk for pk in current.by_unit if pk in names), key=lambda pk: names[pk].path)
    rows = []
    for pk in units:
        row = _row(names[pk].name, current.by_unit[pk], code=names[pk].code)
        before, year = previous.by_unit.get(pk), last_year.by_unit.get(pk)
        row["occupancy_previous"] = before.occupancy_staffed if before else None
        row["occupancy_last_year"] = year.occupancy_staffed if year else None
        rows.append(row)
    total = _row("Total", current.whole)
    total["occupancy_previous"] = previous.whole.occupancy_staffed
    total["occupancy_last_year"] = last_year.whole.occupancy_staffed
    return {
        "rows": rows,
        "total": total,
        "by_department": _by_department(scope, current) if scope.is_hospital else [],  # a department: its units
    }


def build_utilisation(scope: Scope, period: Period) -> dict:
    """The utilisation report: the scope's measures against the previous month and the same month last year,
    the daily census and flow, and every unit's figures."""
    current, previous = measures(scope, period), measures(scope, period.previous())
    last_year = measures(scope, same_month_last_year(period))
    now, prev, year = _row(scope.label, current.whole), _row("", previous.whole), _row("", last_year.whole)
    comparison = [
        {"label": label, "now": _text(now[key], digits), "previous": _text(prev[key], digits),
         "last_year": _text(year[key], digits), "change_previous": _change(now[key], prev[key], digits, better),
         "change_year": _change(now[key], year[key], digits, better)}
        for key, label, digits, better in MEASURES
    ]
    whole = current.whole
    days = [row.day for row in whole.daily]
    labels = [f"{day:%-d %b}" if n % 7 == 0 else "" for n, day in enumerate(days)]
    daily_chart = line_chart(
        "Midnight census each day, against staffed beds", labels,
        [Series("Midnight census", [row.census if row.day <= counted_until(period) else None
                                    for row in whole.daily])],
        target=float(whole.staffed_beds) if whole.staffed_beds else None, target_label="Staffed beds",
        width=520, height=190,
    )
    flow_chart = line_chart(
        "Admissions and discharges each day", labels,
        [Series("Admissions", [row.admissions for row in whole.daily]),
         Series("Discharges", [row.discharges for row in whole.daily], "#e07b39")],
        width=520, height=170,
    )
    return {
        "current": now,
        "comparison": comparison,
        "previous_label": period.previous().label,
        "last_year_label": same_month_last_year(period).label,
        "previous_short": f"{period.previous().start:%b %Y}",
        "last_year_short": f"{same_month_last_year(period).start:%b %Y}",
        "through": counted_until(period),
        "daily_chart": daily_chart,
        "flow_chart": flow_chart,
        "units": _units(scope, current, previous, last_year),
        "key_figures": [
            KeyFigure("Occupancy, staffed beds", _number(whole.occupancy_staffed),
                      _number(previous.whole.occupancy_staffed), unit="%"),
            KeyFigure("Occupancy, licensed beds", _number(whole.occupancy_licensed),
                      _number(previous.whole.occupancy_licensed), unit="%"),
            KeyFigure("Patient days", whole.patient_days, previous.whole.patient_days),
            KeyFigure("Average length of stay", _number(whole.average_length_of_stay),
                      _number(previous.whole.average_length_of_stay), unit="days", digits=2, higher_is_better=False),
            KeyFigure("Admissions", whole.admissions, previous.whole.admissions),
            KeyFigure("Discharges", whole.discharges, previous.whole.discharges),
            KeyFigure("Emergency boarding hours", _number(whole.boarding_hours),
                      _number(previous.whole.boarding_hours), unit="h", higher_is_better=False),
            KeyFigure("Cleaning turnaround", _number(whole.cleaning_minutes),
                      _number(previous.whole.cleaning_minutes), unit="min", higher_is_better=False),
        ],
        "notes": NOTES + [
            "Transfers in and out count moves between beds that began or ended in a unit (a move within one unit "
            "counts both ways); blocked bed-days are the time beds spent blocked or out of service; cleaning "
            "turnaround runs from discharge (cleaning task opened) to the bed available again; emergency boarding "
            "hours run from the request for a bed to admission. Beds are those registered when the report is built.",
        ],
    }


register(Section(
    key="utilisation",
    title="Census, flow and units",
    kinds=(ReportKind.UTILISATION,),
    build=build_utilisation,
    template="reports/sections/utilisation.html",
    order=10,
    description="The census measures against the previous month and the same month last year, the daily census "
    "and flow, and every unit's beds, occupancy, flow, length of stay, turnover, blocked beds, cleaning and "
    "boarding.",
))
