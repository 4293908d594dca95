"""Labour cost per patient day against the salaries budget per budgeted patient day, on the
variance page for a department and for the hospital, in a fixed number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from finance import measures
from finance.models import Budget, BudgetLine, ServiceUnits
from records.models import Department
from tests.finance.test_labour_cost import roster  # noqa: F401

MARCH = dt.date(2026, 3, 1)
# The variance page at most: 30, and 4 for the nursing hours per patient day it asks staffing for (the month's
# shifts, the census and its same-day stays, the units' targets).
MAX_QUERIES = 34


@pytest.fixture
def ward_plan(hospital, books, roster):  # noqa: F811
    """Ward 4 West in March: 5,000 of salaries for 100 patient days budgeted, 50 imported; the roster costs
    2,960.78 for 56.5 paid hours."""
    budget = Budget.objects.create(department=hospital.ward, fiscal_year=books.year, status="approved",
                                   created_by=hospital.users["finance"], approved_by=hospital.users["finance"])
    BudgetLine.objects.create(budget=budget, account=books.salaries, month=MARCH, amount=Decimal("5000"))
    ServiceUnits.objects.create(department=hospital.ward, month=MARCH, budgeted=100, actual=50)
    return books


@pytest.fixture
def posted(hospital, ward_plan):
    """March's labour cost posted to the actuals, as the variance page reads it."""
    from finance.models import PayPolicy
    from finance.services.actuals import post_labour_cost

    PayPolicy.objects.create(salaries_account=ward_plan.salaries)
    post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    return ward_plan


def test_it_sets_labour_per_patient_day_against_budget(hospital, ward_plan):
    report = measures.variance(departments=Department.objects.filter(pk=hospital.ward.pk),
                               fiscal_year=ward_plan.year, through=MARCH)
    labour = measures.labour_cost(start=MARCH, end=dt.date(2026, 3, 31))[(hospital.ward.pk, MARCH)]
    figures = measures.labour_per_patient_day(report, labour)
    assert figures.cost_per_patient_day == Decimal("59.22")  # 2,960.78 ÷ 50
    assert figures.hours_per_patient_day is None  # nursing hours per patient day need the census (tests/staffing)
    assert figures.budgeted_cost_per_patient_day == Decimal("50.00")  # 5,000 ÷ 100
    assert figures.cost_variance_per_patient_day == Decimal("-9.22")


def test_without_patient_days_there_is_no_ratio(hospital, ward_plan):
    ServiceUnits.objects.all().delete()
    report = measures.variance(departments=Department.objects.filter(pk=hospital.ward.pk),
                               fiscal_year=ward_plan.year, through=MARCH)
    figures = measures.labour_per_patient_day(report, measures.LabourMonth())
    assert figures.cost_per_patient_day is None and figures.cost_variance_per_patient_day is None


@pytest.mark.parametrize("department", ["ward", None])
def test_the_variance_page_shows_it_for_a_department_and_the_hospital(client, hospital, ward_plan, department,
                                                                     posted, django_assert_max_num_queries):
    client.force_login(hospital.users["finance"])
    url = f"/finance/variance/?fiscal_year={ward_plan.year.pk}&through=2026-03"
    if department:
        url += f"&department={getattr(hospital, department).pk}"
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Labour cost per patient day" in page and "59.22" in page and "50.00" in page


def test_the_page_keeps_its_query_count_with_more_departments(client, hospital, ward_plan, posted,
                                                              django_assert_max_num_queries):
    for department in (hospital.medicine, hospital.theatre):
        ServiceUnits.objects.create(department=department, month=MARCH, budgeted=10, actual=10)
    client.force_login(hospital.users["finance"])
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(f"/finance/variance/?fiscal_year={ward_plan.year.pk}&through=2026-03").status_code == 200
