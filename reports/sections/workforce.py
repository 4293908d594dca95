"""Board report: workforce (headcount, hires, leavers, credential compliance by department)."""

from __future__ import annotations

from ..charts import Series, bar_chart, hbar_chart, line_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import (
    TARGETS,
    credential_compliance_by_department,
    credential_figures,
    pct,
    today,
    workforce_by_department,
    workforce_trend,
)
from . import KeyFigure, Section, register


def _turnover(month: dict, before: dict | None) -> float | None:
    if before is None:
        return None
    average = (month["headcount"] + before["headcount"]) / 2
    return pct(month["leavers"], average, 2)


def build(scope: Scope, period: Period) -> dict:
    trend = workforce_trend(scope, period.months_back(13))
    months, current, previous = trend[1:], trend[-1], trend[-2]
    as_of = min(period.end, today())
    credentials = credential_figures(scope, as_of)
    credentials_before = credential_figures(scope, period.previous().end)
    by_department = workforce_by_department(scope, period)
    compliance = {row["department"].pk: row for row in credential_compliance_by_department(scope, as_of)}
    for row in by_department:
        row["compliance_pct"] = compliance.get(row["department"].pk, {}).get("compliance_pct")
    turnover, turnover_before = _turnover(current, previous), _turnover(previous, trend[-3])
    labels = [f"{m['period'].start:%b}" for m in months]
    return {
        "current": current,
        "previous": previous,
        "turnover_pct": turnover,
        "credentials": credentials,
        "by_department": by_department,
        "totals": {
            key: sum(row[key] for row in by_department) for key in ("headcount", "agency", "hires", "leavers")
        },
        "headcount_chart": line_chart(
            "Headcount at month end", labels, [Series("Headcount", [m["headcount"] for m in months])],
            y_min=0,
        ),
        "movement_chart": bar_chart(
            "Hires and leavers", labels,
            [Series("Hires", [m["hires"] for m in months]), Series("Leavers", [m["leavers"] for m in months])],
        ),
        "compliance_chart": hbar_chart(
            "Credential compliance by department",
            [row["department"].name for row in by_department],
            [row["compliance_pct"] for row in by_department],
            maximum=100,
            target=TARGETS["compliance_pct"].value,
        ),
        "key_figures": [
            KeyFigure("Headcount at month end", current["headcount"], previous["headcount"]),
            KeyFigure("Hires", current["hires"], previous["hires"]),
            KeyFigure("Leavers", current["leavers"], previous["leavers"], higher_is_better=False),
            KeyFigure("Staff turnover (leavers / average headcount)", turnover, turnover_before, unit="%",
                      target=TARGETS["turnover_pct"], higher_is_better=False, digits=2),
            KeyFigure("Credential compliance", credentials["compliance_pct"], credentials_before["compliance_pct"],
                      unit="%", target=TARGETS["compliance_pct"]),
        ],
        "notes": [
            "Headcount counts people employed on the last day of the period (hired on or before it, not yet "
            "left); hires and leavers count hire and termination dates within the period.",
            "Credential compliance is the share of credentials on file that are verified and not expired, for "
            f"people employed on {as_of:%d %B %Y}.",
            "Vacancies are not yet tracked: they need budgeted positions, which the positions capability will "
            f"add (target then: vacancy rate {TARGETS['vacancy_pct']}).",
        ],
    }


register(Section(
    key="workforce",
    title="Workforce",
    kinds=(ReportKind.BOARD,),
    build=build,
    template="reports/sections/workforce.html",
    order=20,
    description="Headcount, hires, leavers and credential compliance by department.",
))
