"""Board report: finance (year-to-date budget against actual by department, the largest variances with the
heads' explanations, and the labour cost trend). Every figure comes from finance's measures."""

from __future__ import annotations

from decimal import Decimal

from finance import measures
from finance.models import FiscalYear

from ..charts import Series, line_chart
from ..models import ReportKind
from ..periods import Period
from ..scope import Scope
from . import KeyFigure, Section, register


def _pct(part: Decimal, whole: Decimal) -> float | None:
    return round(float(part) * 100 / float(whole), 1) if whole else None


def build(scope: Scope, period: Period) -> dict:
    year = FiscalYear.objects.filter(start_date__lte=period.start, end_date__gte=period.start).first()
    departments, owner = scope.groups()
    if year is None:
        return {"year": None}
    report = measures.variance(departments=_departments(scope), fiscal_year=year,
                               through=period.start)
    rows: dict[int, dict] = {
        head.pk: {"department": head, "budget": Decimal(0), "actual": Decimal(0), "committed": Decimal(0)}
        for head in departments
    }
    for line in report.lines:
        row = rows.get(owner.get(line.department.pk))
        if row is not None:
            row["budget"] += line.budget_ytd
            row["actual"] += line.actual_ytd
            row["committed"] += line.committed_ytd
    by_department = [row for row in rows.values() if row["budget"] or row["actual"]]
    for row in by_department:
        row["variance"] = row["budget"] - row["actual"] - row["committed"]
        row["spent_pct"] = _pct(row["actual"], row["budget"])
    months = period.months_back(6)
    labour = measures.labour_cost(within=scope.department, start=months[0].start, end=months[-1].end)
    trend = []
    for month in months:
        total = sum((f.total for (_d, m), f in labour.items() if m == month.start), Decimal(0))
        trend.append(float(total))
    budget_ytd, actual_ytd = report.total("budget_ytd"), report.total("actual_ytd")
    previous = period.previous()
    before = measures.variance(departments=_departments(scope), fiscal_year=year, through=previous.start) \
        if previous.start >= year.start_date else None
    return {
        "year": year,
        "through": period.start,
        "budget_ytd": budget_ytd,
        "actual_ytd": actual_ytd,
        "committed": report.total("committed_ytd"),
        "variance": report.total("variance"),
        "forecast": report.total("forecast"),
        "budget_year": report.total("budget_year"),
        "by_department": by_department,
        "biggest": [line for line in report.biggest(6) if line.variance < 0],
        "labour_chart": line_chart("Labour cost from worked shifts", [f"{m.start:%b}" for m in months],
                                   [Series("Labour cost", trend)]),
        "labour_now": trend[-1],
        "key_figures": [
            KeyFigure("Spending as % of budget, year to date", _pct(actual_ytd, budget_ytd),
                      _pct(before.total("actual_ytd"), before.total("budget_ytd")) if before else None, unit="%",
                      higher_is_better=False),
            KeyFigure("Labour cost this month", trend[-1], trend[-2] if len(trend) > 1 else None,
                      higher_is_better=False),
        ],
        "notes": [
            "Finance: actuals are the general-ledger postings imported for each month; committed is approved "
            "expenditure not yet paid; labour cost is paid hours of worked (published) shifts × each person's "
            "rate, with overtime, night, weekend and agency premiums.",
        ],
    }


def _departments(scope: Scope):
    from records.models import Department

    return Department.objects.filter(scope.q(""))


def build_variance(scope: Scope, period: Period) -> dict:
    """The monthly variance report: every account line of the scope, year to date through the month."""
    year = FiscalYear.objects.filter(start_date__lte=period.start, end_date__gte=period.start).first()
    if year is None:
        return {"year": None}
    report = measures.variance(departments=_departments(scope), fiscal_year=year, through=period.start)
    return {
        "year": year, "through": period.start, "lines": report.lines,
        "over": [line for line in report.lines if report.over_threshold(line)],
        "threshold": report.threshold_pct,
        "totals": {name: report.total(name) for name in ("budget_ytd", "flex_ytd", "actual_ytd", "committed_ytd",
                                                          "variance", "forecast", "budget_year")},
        "key_figures": [
            KeyFigure("Spending as % of budget, year to date",
                      _pct(report.total("actual_ytd"), report.total("budget_ytd")), unit="%", higher_is_better=False),
            KeyFigure("Lines over the variance threshold", len([line for line in report.lines
                                                                if report.over_threshold(line)]),
                      higher_is_better=False),
        ],
        "notes": [
            f"Variance: budget − actual − committed, year to date. Lines at or beyond ±{report.threshold_pct} % of "
            "their budget need a head's explanation. The flexible budget scales variable accounts with the "
            "department's units of service.",
        ],
    }


register(Section(
    key="variance", title="Variance by account", kinds=(ReportKind.VARIANCE,), order=10,
    template="reports/sections/variance.html", build=build_variance,
    description="Every account line: budget, flexible budget, actual, committed, variance and explanation.",
))

register(Section(
    key="finance", title="Finance", kinds=(ReportKind.BOARD,), order=60,
    template="reports/sections/finance.html", build=build,
    description="Budget against actual by department, the largest variances and labour cost.",
))
