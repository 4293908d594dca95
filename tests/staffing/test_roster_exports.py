"""Roster downloads (CSV, Excel) and the printable page agree with the grid."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from staffing import selectors, services
from staffing.services import CellChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(hospital, roster):
    services.set_cells(
        actor=hospital.users["scheduler_med"], schedule=roster.schedule,
        changes=[CellChange(hospital.nurse, roster.days[0], roster.day),
                 CellChange(hospital.nurse, roster.days[1], roster.late),
                 CellChange(hospital.staff_employee, roster.days[2], roster.night)],
    )
    return roster


def export(client, hospital, roster, fmt, user="scheduler_med"):
    client.force_login(hospital.users[user])
    return client.get(reverse("staffing:schedule-export", args=[roster.schedule.pk, fmt]))


def grid_codes(roster):
    grid = selectors.roster_grid(roster.schedule)
    return {
        f"{e.last_name}, {e.first_name}": [
            grid.assignments[(e.pk, d)].code if (e.pk, d) in grid.assignments else "" for d in grid.days
        ]
        for e in grid.employees
    }


def test_it_exports_the_grid_as_csv(client, hospital, filled):
    response = export(client, hospital, filled, "csv")
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][3] == f"{filled.days[0]:%a} {filled.days[0].isoformat()}"
    assert len(rows[0]) == 3 + 28 + 1
    assert {row[1]: row[3:-1] for row in rows[1:]} == grid_codes(filled)


def test_it_exports_the_hours_per_employee(client, hospital, filled):
    rows = list(csv.reader(io.StringIO(export(client, hospital, filled, "csv").getvalue().decode())))
    hours = {row[1]: row[-1] for row in rows[1:]}
    assert hours["Nightingale, Nora"] == "16.0"


def test_it_exports_the_grid_as_xlsx(client, hospital, filled):
    response = export(client, hospital, filled, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert {row[1]: list(row[3:-1]) for row in rows[1:]} == grid_codes(filled)


def test_it_refuses_an_unknown_format(client, hospital, filled):
    assert export(client, hospital, filled, "pdf").status_code == 400


def test_it_hides_the_export_from_another_department(client, hospital, filled):
    assert export(client, hospital, filled, "csv", user="head_surg").status_code == 404


def test_it_prints_the_roster_without_navigation(client, hospital, filled):
    client.force_login(hospital.users["scheduler_med"])
    response = client.get(reverse("staffing:schedule-print", args=[filled.schedule.pk]))
    assert response.status_code == 200
    assert "navbar" not in response.text
    assert 'class="cell-input"' not in response.text
    assert '<span class="cell-code">N</span>' in response.text


def test_it_hides_the_printable_roster_from_another_department(client, hospital, filled):
    client.force_login(hospital.users["head_surg"])
    assert client.get(reverse("staffing:schedule-print", args=[filled.schedule.pk])).status_code == 404
