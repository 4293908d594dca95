"""The variance page costs at most 15 queries, the same for one department as for many, with the census
filling in patient days and the month's labour cost posted; the filter still refuses what is not offered."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from finance.models import Budget, BudgetLine, PayPolicy, ServiceUnits
from finance.services import actuals
from records.models import Department
from tests.records.factories import DepartmentFactory

from .test_labour_cost import roster  # noqa: F401 - the known roster: 2,960.78 in March 2026

MARCH = dt.date(2026, 3, 1)
MOST = 15


def add_departments(hospital, books, count):
    """`count` more units under Medicine, each with a budget line, ledger postings, and units of service
    with budgeted patient days but none imported (so the census fills them in)."""
    rows, first = [], Department.objects.filter(code__startswith="MED-U").count()
    for n in range(first, first + count):
        unit = DepartmentFactory(code=f"MED-U{n}", name=f"Unit {n}", parent=hospital.medicine, kind="unit")
        budget = Budget.objects.create(department=unit, fiscal_year=books.year, status="approved",
                                       created_by=hospital.users["finance"], approved_by=hospital.users["finance"])
        BudgetLine.objects.create(budget=budget, account=books.supplies, month=MARCH, amount=Decimal("900"))
        ServiceUnits.objects.create(department=unit, month=MARCH, budgeted=100, actual=None)
        rows.append({"reference": f"u{n}", "cost_centre": unit.code, "gl_code": "6100", "posted_on": "2026-03-10",
                     "amount": "950.00"})
    actuals.import_ledger(actor=hospital.users["finance"], batch_id=f"GL-{count}", rows=rows)


@pytest.fixture
def posted(hospital, books, roster):  # noqa: F811
    PayPolicy.objects.create(salaries_account=books.salaries)
    ServiceUnits.objects.create(department=hospital.ward, month=MARCH, budgeted=100, actual=None)
    actuals.post_labour_cost(actor=hospital.users["finance"], month=MARCH)
    return books


def count_queries(client, url):
    client.get(url)  # the session is saved once after signing in: count the page itself
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


@pytest.mark.parametrize("role", ["finance", "ops", "head_med"])
@pytest.mark.parametrize("scope", ["hospital", "medicine"])
def test_the_page_costs_the_same_few_queries_for_one_department_and_many(client, hospital, posted, role, scope):
    client.force_login(hospital.users[role])
    url = f"/finance/variance/?fiscal_year={posted.year.pk}&through=2026-03"
    if scope == "medicine":
        url += f"&department={hospital.medicine.pk}"
    add_departments(hospital, posted, 1)
    one, page = count_queries(client, url)
    assert "2,960.78" in page  # the ward's posted labour cost
    add_departments(hospital, posted, 40)
    many, page = count_queries(client, url)
    assert "MED-U40" in page
    assert one == many <= MOST, (one, many)


def test_the_page_says_when_the_months_labour_cost_is_not_posted(client, hospital, books, roster):  # noqa: F811
    client.force_login(hospital.users["finance"])
    queries, page = count_queries(client, f"/finance/variance/?fiscal_year={books.year.pk}&through=2026-03")
    assert "Labour cost from worked shifts in March 2026 is not posted to the actuals yet" in page
    assert queries <= MOST


@pytest.mark.parametrize("bad", [{"department": "999999"}, {"fiscal_year": "abc"}, {"through": "2026-13"}])
def test_a_bad_filter_shows_the_default_view(client, hospital, books, bad):
    client.force_login(hospital.users["head_med"])
    response = client.get("/finance/variance/", bad)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Enter a valid date" in \
        response.content.decode() or "invalid" in response.content.decode()


def test_a_head_cannot_choose_another_department(client, hospital, books):
    client.force_login(hospital.users["head_med"])
    page = client.get(f"/finance/variance/?department={hospital.surgery.pk}").content.decode()
    assert f'value="{hospital.surgery.pk}"' not in page
    assert "Surgery" not in page.split("<select", 2)[-1].split("</select>")[0]
