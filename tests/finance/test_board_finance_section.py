"""The board report's finance section: figures from finance's measures, explanations printed."""

import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string

from finance.services import actuals
from finance.services.budgets import write_explanation
from reports.builder import build_context
from reports.models import ReportKind
from reports.periods import Period
from reports.scope import Scope


def test_the_board_report_carries_the_finance_section(hospital, books):
    rows = [{"reference": f"r{m}", "cost_centre": hospital.ward.cost_centre, "gl_code": "6100",
             "posted_on": f"2026-{m:02d}-15", "amount": "12000.00"} for m in (1, 2)]
    actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-Q1", rows=rows)
    from finance.models import Budget, BudgetLine

    budget = Budget.objects.create(department=hospital.ward, fiscal_year=books.year, status="approved",
                                   created_by=hospital.users["finance"])
    BudgetLine.objects.bulk_create([BudgetLine(budget=budget, account=books.supplies, month=dt.date(2026, m, 1),
                                               amount=Decimal("10000")) for m in (1, 2)])
    write_explanation(actor=hospital.users["head_med"], department=hospital.ward, account=books.supplies,
                      month=dt.date(2026, 2, 1), text="Norovirus outbreak on the ward")
    context = build_context(ReportKind.BOARD, Scope(), Period.month(2026, 2))
    [section] = [s for s in context["sections"] if s.key == "finance"]
    data = section.data
    medicine = next(row for row in data["by_department"] if row["department"] == hospital.medicine)
    assert medicine["budget"] == Decimal("40000") and medicine["actual"] == Decimal("24000.00")
    assert data["biggest"][0].department == hospital.ward and data["biggest"][0].variance == Decimal("-4000.00")
    html = render_to_string(section.template, {"data": data})
    assert "Norovirus outbreak on the ward" in html


def test_the_monthly_variance_report_renders_a_pdf_with_the_explanations(hospital, books):
    from reports import services
    from reports.scope import Scope as ReportScope

    rows = [{"reference": "r1", "cost_centre": hospital.medicine.cost_centre, "gl_code": "6100",
             "posted_on": "2026-02-15", "amount": "13000.00"}]
    actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-FEB", rows=rows)
    write_explanation(actor=hospital.users["head_med"], department=hospital.medicine, account=books.supplies,
                      month=dt.date(2026, 2, 1), text="Agency cover for two vacancies")
    context = build_context(ReportKind.VARIANCE, ReportScope(hospital.medicine), Period.month(2026, 2))
    [section] = context["sections"]
    [line] = section.data["lines"]
    assert line.variance == Decimal("7000.00") and line.explanation.text == "Agency cover for two vacancies"
    content, pages = services.render_report(kind=ReportKind.VARIANCE, scope=ReportScope(hospital.medicine),
                                            period=Period.month(2026, 2))
    assert content.startswith(b"%PDF") and pages >= 1
