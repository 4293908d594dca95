"""An Excel download names its sheet after what it holds, within Excel's rules for sheet names."""

import io

import openpyxl
import pytest
from django.urls import reverse

from hospital_ops.exports import export_response, sheet_title

pytestmark = pytest.mark.django_db


def sheet_names(response):
    return openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True).sheetnames


def test_the_employee_list_sheet_is_named_employees(client, hospital):
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("records:employee-export", args=["xlsx"]))
    assert sheet_names(response) == ["Employees"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Roster W4W 2026-12", "Roster W4W 2026-12"),
        ("Credentials: expired [all] a/b", "Credentials- expired -all- a-b"),
        ("'Quoted'", "Quoted"),
        ("A very long list name that Excel would refuse", "A very long list name that Exce"),
        ("", "Sheet1"),
    ],
)
def test_a_sheet_title_is_one_excel_accepts(text, expected):
    assert sheet_title(text) == expected


def test_a_long_sheet_title_keeps_its_suffix():
    assert sheet_title("Roster CARDIOTHORACIC-ICU-2", " 2026-12-07 r3") == "Roster CARDIOTHOR 2026-12-07 r3"


def test_an_unnamed_export_takes_its_sheet_name_from_the_file_name():
    response = export_response("credential-renewals", ["Name"], [["Nora"]], "xlsx")
    assert sheet_names(response) == ["Credential renewals"]
