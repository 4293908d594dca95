import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from hospital_ops.exports import export_response
from tests.records.factories import CredentialFactory, EmployeeFactory, EmployeeSkillFactory, SkillFactory

pytestmark = pytest.mark.django_db

HEADERS = ["Number", "Name", "Department", "Job title", "Employment type", "FTE", "Status", "Credential status",
           "Skills"]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8"))))


def xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def list_numbers(client, params):
    response = client.get(reverse("records:employee-list"), params)
    return [employee.employee_number for employee in response.context["page"].paginator.object_list]


def test_it_exports_the_filtered_list_as_csv(client, hospital):
    client.force_login(hospital.users["ops"])
    params = {"department": hospital.medicine.pk, "ordering": "-name"}
    response = client.get(reverse("records:employee-export", args=["csv"]), params)
    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="employees.csv"'
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == list_numbers(client, params)


def test_it_exports_the_filtered_list_as_xlsx(client, hospital):
    client.force_login(hospital.users["ops"])
    params = {"q": "Nightingale"}
    response = client.get(reverse("records:employee-export", args=["xlsx"]), params)
    rows = xlsx_rows(response)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == list_numbers(client, params) == [hospital.nurse.employee_number]


def test_it_exports_the_columns_the_list_shows(client, hospital):
    EmployeeSkillFactory(employee=hospital.nurse, skill=SkillFactory(name="Telemetry"))
    CredentialFactory(employee=hospital.nurse, expiry_date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(hospital.users["head_med"])
    rows = csv_rows(client.get(reverse("records:employee-export", args=["csv"]), {"q": "Nightingale"}))
    assert rows[1] == [
        hospital.nurse.employee_number,
        "Nightingale, Nora",
        "Ward 4 West",
        "Registered Nurse",
        "Full time",
        "1.00",
        "Active",
        "Expired",
        "Telemetry",
    ]


def test_it_exports_every_page(client, hospital):
    EmployeeFactory.create_batch(60, department=hospital.ward)
    client.force_login(hospital.users["head_med"])
    rows = csv_rows(client.get(reverse("records:employee-export", args=["csv"])))
    assert len(rows) == 1 + 62  # header, the nurse, the staff member and sixty more


def test_it_leaves_other_departments_out_of_the_export(client, hospital):
    client.force_login(hospital.users["head_med"])
    rows = csv_rows(client.get(reverse("records:employee-export", args=["csv"])))
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {hospital.nurse.employee_number, hospital.staff_employee.employee_number}


def test_it_refuses_an_export_to_roles_without_people(client, hospital):
    client.force_login(hospital.users["board"])
    response = client.get(reverse("records:employee-export", args=["csv"]))
    assert response.status_code == 404


def test_it_rejects_an_unknown_export_format(client, hospital):
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("records:employee-export", args=["pdf"]))
    assert response.status_code == 400


def test_it_keeps_formulas_out_of_exported_cells():
    response = export_response("people", ["Name"], [["=HYPERLINK(\"http://x\")"], ["Ann"]], "csv")
    assert isinstance(response, HttpResponse)
    assert csv_rows(response)[1:] == [["'=HYPERLINK(\"http://x\")"], ["Ann"]]


def test_it_writes_numbers_as_numbers_in_xlsx():
    response = export_response("figures", ["Count"], [[3]], "xlsx")
    assert xlsx_rows(response)[1] == [3]
