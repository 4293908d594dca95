"""A roster's Excel sheet is named after its unit and period."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.records.factories import DepartmentFactory
from tests.staffing.factories import ScheduleFactory

pytestmark = pytest.mark.django_db


def sheet_names(response):
    return openpyxl.load_workbook(io.BytesIO(response.getvalue()), read_only=True).sheetnames


def test_a_roster_sheet_is_named_after_its_unit_and_first_day(client, hospital, roster):
    client.force_login(hospital.users["scheduler_med"])
    response = client.get(reverse("staffing:schedule-export", args=[roster.schedule.pk, "xlsx"]))
    assert sheet_names(response) == ["Roster MED-4W 2026-12-07"]


def test_a_later_revision_says_so_and_a_long_unit_code_keeps_the_date(client, hospital):
    unit = DepartmentFactory(code="CARDIOTHORACIC-ICU-2", parent=hospital.medicine, kind="unit")
    schedule = ScheduleFactory(department=unit, revision=3, created_by=hospital.users["ops"])
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("staffing:schedule-export", args=[schedule.pk, "xlsx"]))
    [name] = sheet_names(response)
    assert len(name) <= 31
    assert name.startswith("Roster CARDIO")
    assert name.endswith(" 2026-12-07 r3")
