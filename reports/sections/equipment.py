"""The monthly facilities and equipment report: diagnostic equipment utilisation by modality with the assets
flagged under or over the thresholds, downtime and repair times, the work-order backlog by priority and age,
preventive-maintenance compliance, and the building and equipment modifications with their costs. Every
figure comes from the facilities selectors, within the report's scope."""

from __future__ import annotations

from decimal import Decimal

from facilities import equipment_selectors, inspection_selectors
from facilities.models import Recommendation
from hospital_ops.scoping import within

from ..charts import hbar_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from ..selectors import today
from . import KeyFigure, Section, register

DOWNTIME_ASSETS = 10  # the assets longest down are named; the rest count in their kind's figures
LISTED_RECOMMENDATIONS = 30  # the costliest open modifications are listed; every one counts in the totals


def _end(period: Period):
    return min(period.end, today())


def _utilisation(scope: Scope, period: Period, by: str):
    return equipment_selectors.utilisation(None, start=period.start, end=_end(period), by=by, grain="month",
                                           department=scope.department)


def build_utilisation(scope: Scope, period: Period) -> dict:
    by_modality = _utilisation(scope, period, "modality")
    before = {row.key: row for row in _utilisation(scope, period.previous(), "modality")}
    assets = _utilisation(scope, period, "asset")
    low, high = equipment_selectors.utilisation_thresholds()
    used = sum(row.total.used for row in by_modality)
    available = sum(row.total.available for row in by_modality)
    overall = round(100 * used / available, 1) if available else None
    before_used = sum(row.total.used for row in before.values())
    before_available = sum(row.total.available for row in before.values())
    rows = [
        {"label": row.label, "used": round(row.total.used, 1), "available": round(row.total.available, 1),
         "pct": row.total.pct, "previous_pct": before[row.key].total.pct if row.key in before else None,
         "flag": row.flag}
        for row in by_modality
    ]
    flagged = [
        {"label": row.label, "used": round(row.total.used, 1), "available": round(row.total.available, 1),
         "pct": row.total.pct, "flag": row.flag}
        for row in sorted(assets, key=lambda row: (row.flag != "over", row.total.pct or 0))
        if row.flag
    ]
    return {
        "rows": rows,
        "overall": overall,
        "used": round(used, 1),
        "available": round(available, 1),
        "low": low,
        "high": high,
        "flagged": flagged,
        "asset_count": len(assets),
        "chart": hbar_chart("Utilisation by modality", [row["label"] for row in rows], [row["pct"] for row in rows],
                            maximum=100),
        "key_figures": [
            KeyFigure("Diagnostic equipment utilisation", overall,
                      round(100 * before_used / before_available, 1) if before_available else None, unit="%"),
            KeyFigure("Assets flagged under or over capacity", len(flagged), higher_is_better=False),
        ],
        "notes": [
            f"Utilisation is hours used (usage sessions) over hours available (each asset's operating schedule "
            f"less downtime inside it). An asset under {low:g} % is a candidate for redeployment; over {high:g} % "
            "for more capacity.",
        ],
    }


def build_maintenance(scope: Scope, period: Period) -> dict:
    department, start, end = scope.department, period.start, _end(period)
    by_kind = equipment_selectors.repair_times(None, by="kind", start=start, end=end, department=department)
    by_asset = equipment_selectors.repair_times(None, by="asset", start=start, end=end, department=department)
    before = period.previous()
    downtime_before = round(sum(row["downtime_hours"] for row in equipment_selectors.repair_times(
        None, by="kind", start=before.start, end=before.end, department=department)), 1)
    longest = sorted((row for row in by_asset if row["downtime_hours"]), key=lambda row: -row["downtime_hours"])
    backlog = equipment_selectors.work_order_backlog(None, on=end, department=department)
    before_backlog = equipment_selectors.work_order_backlog(None, on=period.previous().end, department=department)
    pm = equipment_selectors.pm_compliance(None, start=start, end=end, department=department)
    pm_before = equipment_selectors.pm_compliance(None, start=period.previous().start, end=period.previous().end,
                                                  department=department)
    heads, _owner = scope.groups()  # a department's own row would hold its units again: its units only
    heads = [head for head in heads if scope.department is None or head.pk != scope.department.pk]
    pm_by_department = [
        {"department": head, **equipment_selectors.pm_compliance(None, start=start, end=end, department=head)}
        for head in heads
    ]
    repairs = sum(row["repairs"] for row in by_kind)
    repair_hours = sum((row["mttr_hours"] or 0) * row["repairs"] for row in by_kind)
    downtime = round(sum(row["downtime_hours"] for row in by_kind), 1)
    open_total = sum(row["total"] for row in backlog)
    return {
        "by_kind": by_kind,
        "longest": longest[:DOWNTIME_ASSETS],
        "downtime": downtime,
        "repairs": repairs,
        "mttr": round(repair_hours / repairs, 1) if repairs else None,
        "ages": [label for _days, label in equipment_selectors.BACKLOG_AGES],
        "backlog": backlog,
        "backlog_total": open_total,
        "backlog_ages": [sum(row["ages"][n] for row in backlog) for n in range(len(equipment_selectors.BACKLOG_AGES))],
        "backlog_before": sum(row["total"] for row in before_backlog),
        "pm": pm,
        "pm_before": pm_before,
        "pm_by_department": [row for row in pm_by_department if row["due"]],
        "key_figures": [
            KeyFigure("Open work orders at the month's end", open_total,
                      sum(row["total"] for row in before_backlog), higher_is_better=False),
            KeyFigure("Equipment downtime", downtime, downtime_before, unit="h", higher_is_better=False),
            KeyFigure("PM done on time", pm["pct"], pm_before["pct"], unit="%"),
        ],
        "notes": [
            "Downtime and repair times count work completed in the month: downtime from the recorded start to end, "
            "mean time to repair from report to completion of corrective work. The backlog is the work orders "
            "reported by the month's end and not completed by then, by age since reported. Preventive maintenance "
            "is on time when completed within 7 days of its due date.",
        ],
    }


def build_modifications(scope: Scope, period: Period) -> dict:
    totals = inspection_selectors.recommendation_totals(None, department=scope.department)
    pending = (
        inspection_selectors.recommendation_list(None)
        .filter(within(scope.department))
        .filter(status__in=(Recommendation.Status.PROPOSED, Recommendation.Status.APPROVED))
        .order_by("-estimated_cost", "pk")
    )
    listed = list(pending[:LISTED_RECOMMENDATIONS])
    by_status = {row["status"]: row for row in totals}
    open_count = sum(by_status[s]["count"] for s in (Recommendation.Status.PROPOSED, Recommendation.Status.APPROVED))
    return {
        "totals": totals,
        "listed": listed,
        "unlisted": open_count - len(listed),
        "proposed_cost": by_status[Recommendation.Status.PROPOSED]["cost"] or Decimal(0),
        "approved_cost": by_status[Recommendation.Status.APPROVED]["cost"] or Decimal(0),
        "key_figures": [
            KeyFigure("Modifications proposed, estimated cost",
                      float(by_status[Recommendation.Status.PROPOSED]["cost"] or 0)),
            KeyFigure("Modifications approved, estimated cost",
                      float(by_status[Recommendation.Status.APPROVED]["cost"] or 0)),
        ],
    }


register(Section(
    key="equipment-utilisation",
    title="Diagnostic equipment utilisation",
    kinds=(ReportKind.FACILITIES,),
    build=build_utilisation,
    template="reports/sections/equipment_utilisation.html",
    order=10,
    description="Hours used against hours available by modality, and the assets flagged under or over capacity.",
))
register(Section(
    key="equipment-maintenance",
    title="Downtime, work orders and maintenance",
    kinds=(ReportKind.FACILITIES,),
    build=build_maintenance,
    template="reports/sections/equipment_maintenance.html",
    order=20,
    description="Downtime and repair times by kind, the work-order backlog by priority and age, and preventive "
    "maintenance done on time.",
))
register(Section(
    key="modifications",
    title="Building and equipment modifications",
    kinds=(ReportKind.FACILITIES,),
    build=build_modifications,
    template="reports/sections/modifications.html",
    order=30,
    description="Recommended modifications proposed and approved, with their estimated costs.",
))
