"""The shifts export streams the roster cells the caller sees, filtered as the API list is, in its order."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.records.factories import EmployeeFactory
from tests.staffing.api_helpers import assign, url

pytestmark = pytest.mark.django_db


def export(client, params=None, fmt="csv"):
    return client.get(reverse("staffing:assignment-export", args=[fmt]), params or {})


def api_rows(client, params):
    """The API list under `params`, every page, as the export writes each cell."""
    rows, page = [], client.get(url("assignment-list"), {**params, "page_size": 200}).json()
    while True:
        rows += page["results"]
        if not page["next"]:
            break
        page = client.get(page["next"]).json()

    def local(text):
        return timezone.localtime(timezone.datetime.fromisoformat(text.replace("Z", "+00:00"))).strftime(
            "%Y-%m-%d %H:%M:%S"
        )

    return [[row["date"], row["shift_type_code"], local(row["starts_at"]), local(row["ends_at"])] for row in rows]


@pytest.fixture
def filled(hospital, roster):
    staff = EmployeeFactory.create_batch(3, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule,
           *[(e, day, shift) for e in staff for day, shift in zip(roster.days[:6], [roster.day, roster.late] * 3,
                                                                    strict=True)])
    return staff


@pytest.mark.parametrize("params", [{}, {"date_from": "2026-12-08", "date_to": "2026-12-10"}, {"employee": "first"},
                                    {"shift_type": "late"}])
def test_the_streamed_export_equals_the_filtered_list(as_user, roster, filled, params):
    params = {**params}
    if params.get("employee") == "first":
        params["employee"] = filled[0].pk
    if params.get("shift_type") == "late":
        params["shift_type"] = roster.late.pk
    client = as_user("head_med")

    response = export(client, params)

    assert response.streaming
    header, *rows = csv.reader(io.StringIO(response.getvalue().decode()))
    assert header == ["Date", "Shift", "Starts", "Ends", "Number", "Employee", "Unit", "Roster status"]
    assert [row[:4] for row in rows] == api_rows(client, params)
    assert rows


def test_it_exports_nothing_of_another_department(as_user, filled):
    response = export(as_user("head_surg"))

    assert response.getvalue().decode().count("\n") == 1  # the header alone


def test_it_refuses_a_bad_filter_and_a_bad_format(as_user, filled):
    client = as_user("head_med")

    assert export(client, {"date_from": "not a date"}).status_code == 400
    assert export(client, fmt="pdf").status_code == 400


def test_the_workbook_holds_the_same_rows(as_user, filled):
    import openpyxl

    client = as_user("head_med")
    csv_rows = list(csv.reader(io.StringIO(export(client).getvalue().decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, fmt="xlsx").getvalue()), read_only=True).active

    assert len(list(sheet.iter_rows(values_only=True))) == len(csv_rows)


@pytest.mark.parametrize("count", [1, 30])
def test_it_costs_the_same_queries_for_any_number_of_rows(as_user, hospital, roster, count,
                                                          django_assert_max_num_queries):
    staff = EmployeeFactory.create_batch(count, department=hospital.ward)
    assign(hospital.users["scheduler_med"], roster.schedule, *[(e, roster.days[0], roster.day) for e in staff])
    client = as_user("head_med")
    client.get(url("api-root"))

    with django_assert_max_num_queries(8):
        body = export(client).getvalue().decode()

    assert body.count("\n") == count + 1
