"""Department activity report: a unit's rosters, shifts, coverage, overtime and time off."""

from __future__ import annotations

from collections import defaultdict

from staffing.selectors import staffing_measures

from ..charts import Series, bar_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import TARGETS, shifts_by_type, staffing_figures, unit_activity
from . import KeyFigure, Section, register


def _staffing(scope: Scope, period: Period) -> dict:
    measures = staffing_measures(within=scope.department, start=period.start, end=period.end)
    return {"figures": staffing_figures(measures.total()), "cells": measures.coverage}


def build(scope: Scope, period: Period) -> dict:
    now, before = _staffing(scope, period), _staffing(scope, period.previous())
    figures, previous = now["figures"], before["figures"]
    by_day = defaultdict(lambda: [0, 0])
    for cell in now["cells"]:
        by_day[cell.date][0] += cell.required
        by_day[cell.date][1] += cell.filled
    days = sorted(by_day)
    types = shifts_by_type(scope, period)
    for row in types:
        row["hours"] = round((row.pop("minutes") or 0) / 60)
    units = unit_activity(scope, period)
    return {
        "figures": figures,
        "units": units,
        "shift_types": types,
        "daily_chart": bar_chart(
            "Required and filled places by day",
            [f"{day:%d}" for day in days],
            [Series("Required", [by_day[d][0] for d in days], "#b4c7dc"),
             Series("Filled", [by_day[d][1] for d in days], "#1f4e79")],
            width=680,
        ),
        "key_figures": [
            KeyFigure("Coverage of required shifts", figures["coverage_pct"], previous["coverage_pct"], unit="%",
                      target=TARGETS["coverage_pct"]),
            KeyFigure("Unfilled shifts", figures["unfilled"], previous["unfilled"], higher_is_better=False),
            KeyFigure("Rostered hours", figures["hours"], previous["hours"]),
            KeyFigure("Overtime share of hours", figures["overtime_pct"], previous["overtime_pct"], unit="%",
                      target=TARGETS["overtime_pct"], higher_is_better=False),
        ],
        "notes": [
            "Shifts count when their roster is approved or published; coverage compares them with the unit's "
            "staffing requirements for each day and shift.",
            "Overtime is time above each person's weekly limit in the ISO weeks that begin in the period.",
        ],
    }


register(Section(
    key="unit-activity",
    title="Staffing and roster activity",
    kinds=(ReportKind.DEPARTMENT_ACTIVITY,),
    build=build,
    template="reports/sections/unit_activity.html",
    order=20,
    description="Rosters, shifts, hours, coverage by day, overtime and time off per unit.",
))
