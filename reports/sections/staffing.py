"""Board report: staffing (rosters approved on time, coverage, unfilled shifts, overtime)."""

from __future__ import annotations

from ..charts import Series, bar_chart, line_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import ON_TIME_DAYS, TARGETS, month_figures, pct, roster_timeliness, staffing_by_month
from . import KeyFigure, Section, register


def build(scope: Scope, period: Period) -> dict:
    months = period.months_back(6)
    data = staffing_by_month(scope, months)
    by_group = data["by_group"]
    current, previous = month_figures(by_group, months[-1]), month_figures(by_group, months[-2])
    rosters = roster_timeliness(scope, period.start, period.end)
    before = period.previous()
    rosters_before = roster_timeliness(scope, before.start, before.end)
    on_time = pct(rosters["on_time"], rosters["rosters"])
    rows = [{"department": head, **month_figures(by_group, months[-1], head.pk)} for head in data["heads"]]
    rows = [row for row in rows if row["required"] or row["hours"]]
    trend = [month_figures(by_group, month) for month in months]
    labels = [f"{m.start:%b}" for m in months]
    return {
        "current": current,
        "previous": previous,
        "rosters": rosters,
        "on_time_pct": on_time,
        "by_department": rows,
        "coverage_trend_chart": line_chart(
            "Coverage of required shifts", labels, [Series("Coverage %", [t["coverage_pct"] for t in trend])],
            unit="%", target=TARGETS["coverage_pct"].value, y_min=min(
                [80.0] + [t["coverage_pct"] for t in trend if t["coverage_pct"] is not None]
            ) // 10 * 10,
        ),
        "overtime_trend_chart": line_chart(
            "Overtime as a share of rostered hours", labels,
            [Series("Overtime %", [t["overtime_pct"] for t in trend], "#e07b39")],
            unit="%", target=TARGETS["overtime_pct"].value,
        ),
        "coverage_chart": bar_chart(
            "Coverage by department", [row["department"].code for row in rows],
            [Series("Coverage %", [row["coverage_pct"] for row in rows])],
            unit="%", target=TARGETS["coverage_pct"].value, rotate_labels=len(rows) > 8,
        ),
        "key_figures": [
            KeyFigure("Coverage of required shifts", current["coverage_pct"], previous["coverage_pct"], unit="%",
                      target=TARGETS["coverage_pct"]),
            KeyFigure("Unfilled shifts", current["unfilled"], previous["unfilled"], higher_is_better=False),
            KeyFigure("Overtime share of hours", current["overtime_pct"], previous["overtime_pct"], unit="%",
                      target=TARGETS["overtime_pct"], higher_is_better=False),
            KeyFigure("Overtime hours", current["overtime_hours"], previous["overtime_hours"],
                      higher_is_better=False),
            KeyFigure("Rosters approved on time", on_time,
                      pct(rosters_before["on_time"], rosters_before["rosters"]), unit="%",
                      target=TARGETS["on_time_pct"]),
        ],
        "notes": [
            "Shifts count when their roster is approved or published. Coverage is the share of required places "
            "(staffing requirements by weekday, replaced by a date's own requirement) that were filled; an "
            "unfilled shift is one required place left empty.",
            f"A roster is approved on time when it was approved more than {ON_TIME_DAYS} days before its first "
            "day (decided before the start date minus 14 days); the figure covers rosters starting in the period.",
            "A unit's requirements count in the months in which it has a roster approved or published; a month "
            "without one shows no data rather than nothing filled. Figures are those of the roster pages.",
            "Overtime is the time a person is rostered above their weekly limit (their contract, else the labour "
            "rules of the roster's unit or the departments above it, else the hospital default) in each ISO week "
            "of a roster, counted in the month the week begins; the overtime share is overtime over all "
            "rostered hours of the month. Hours count on the roster's unit.",
        ],
    }


register(Section(
    key="staffing",
    title="Staffing",
    kinds=(ReportKind.BOARD,),
    build=build,
    template="reports/sections/staffing.html",
    order=30,
    description="Rosters approved on time, coverage, unfilled shifts and overtime by department.",
))
