"""Variance against fixtures: budget vs actual vs committed, YTD, forecast, flexible budget."""

import datetime as dt
from decimal import Decimal

import pytest

from finance import measures
from finance.models import ServiceUnits
from finance.services import actuals
from finance.services.expenditure import approve_expenditure, raise_expenditure
from records.models import Department

from .conftest import expenditure_data


@pytest.fixture
def spent(hospital, books):
    rows = [{"reference": f"r{m}", "cost_centre": hospital.medicine.cost_centre, "gl_code": "6100",
             "posted_on": f"2026-{m:02d}-15", "amount": "12000.00"} for m in (1, 2)]
    actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-Q1", rows=rows)
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "2500"))
    approve_expenditure(request=request, approver=hospital.users["ops"])
    return books


def test_variance_figures_against_the_fixture(hospital, spent):
    report = measures.variance(departments=Department.objects.filter(pk=hospital.medicine.pk),
                               fiscal_year=spent.year, through=dt.date(2026, 2, 1))
    [line] = report.lines
    assert line.budget_ytd == Decimal("20000")  # two months of 10,000
    assert line.actual_ytd == Decimal("24000.00")
    assert line.committed_ytd == Decimal("2500.00")  # the March request
    assert line.variance == Decimal("-6500.00")
    assert line.variance_pct == Decimal("-32.5")
    assert line.forecast == Decimal("144000.00")  # 24,000 over 2 months, run for 12
    assert line.budget_year == Decimal("120000")


def test_the_flexible_budget_splits_volume_from_spending(hospital, spent):
    for month, actual in ((1, 1200), (2, 1100)):  # 1,000 patient days budgeted each month
        ServiceUnits.objects.create(department=hospital.medicine, month=dt.date(2026, month, 1), budgeted=1000,
                                    actual=actual)
    report = measures.variance(departments=Department.objects.filter(pk=hospital.medicine.pk),
                               fiscal_year=spent.year, through=dt.date(2026, 2, 1))
    [line] = report.lines
    assert line.flex_ytd == Decimal("23000.00")  # 12,000 + 11,000
    assert line.volume_variance == Decimal("3000.00")  # more patients: more supplies allowed
    assert line.spending_variance == Decimal("-1000.00")  # and still 1,000 over what the volume explains


def test_variance_takes_a_fixed_number_of_queries(hospital, spent, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        measures.variance(departments=Department.objects.all(), fiscal_year=spent.year)
