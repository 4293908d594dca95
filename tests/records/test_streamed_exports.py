"""The employee export streams, and holds exactly the rows of the filtered list, each as the list shows it."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from records.views import employee_row
from tests.records.factories import CredentialFactory, EmployeeFactory, EmployeeSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db


def listed(client, params):
    """The employees of the list page under `params`, every page, as `employee_row` writes them."""
    response = client.get(reverse("records:employee-list"), params)
    return [employee_row(employee) for employee in response.context["page"].paginator.object_list]


def as_text(rows):
    return [["" if value is None else str(value) for value in row] for row in rows]


def as_numbers(rows):
    return [[float(value) if isinstance(value, int | float | Decimal) else str(value) for value in row] for row in rows]


@pytest.fixture
def staff(hospital):
    people = EmployeeFactory.create_batch(4, department=hospital.ward) + EmployeeFactory.create_batch(
        2, department=hospital.surgery
    )
    airway, triage = SkillFactory(name="Airway"), SkillFactory(name="Triage")
    EmployeeSkillFactory(employee=people[0], skill=triage)
    EmployeeSkillFactory(employee=people[0], skill=airway)
    CredentialFactory(employee=people[1])
    return people


@pytest.mark.parametrize("params", [
    {}, {"ordering": "-number"}, {"department": "ward"}, {"q": "a"}, {"employment_type": "part_time"},
    {"credential_status": "valid"}, {"ordering": "job_title", "status": "active"},
])
def test_the_streamed_csv_equals_the_filtered_list(client, hospital, staff, params):
    if params.get("department") == "ward":
        params = {**params, "department": hospital.ward.pk}
    client.force_login(hospital.users["ops"])

    response = client.get(reverse("records:employee-export", args=["csv"]), params)

    assert response.streaming
    header, *rows = csv.reader(io.StringIO(response.getvalue().decode()))
    assert rows == as_text(listed(client, params))
    assert header[0] == "Number"


def test_the_streamed_workbook_equals_the_filtered_list(client, hospital, staff):
    client.force_login(hospital.users["head_med"])

    response = client.get(reverse("records:employee-export", args=["xlsx"]), {"ordering": "name"})

    assert response.streaming
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert as_numbers(rows) == as_numbers(listed(client, {"ordering": "name"}))  # FTE stays a number


def test_it_costs_the_same_queries_for_few_and_many_employees(client, hospital, django_assert_max_num_queries):
    client.force_login(hospital.users["ops"])
    counts = []
    for batch in (1, 40):
        people = EmployeeFactory.create_batch(batch, department=hospital.ward)
        for person in people:
            EmployeeSkillFactory(employee=person)
        with django_assert_max_num_queries(8) as captured:
            client.get(reverse("records:employee-export", args=["csv"])).getvalue()
        counts.append(len(captured))
    assert counts[0] == counts[1]
