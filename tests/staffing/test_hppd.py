"""Nursing hours per patient day against target: a known roster over a known census, by unit and month; the
page (heads and managers, their units; board and staff 404), its export, the API, and finance's labour per
patient day reading the same target."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance import measures
from hospital_ops.scoping import hospital_zone
from records.models import Department
from staffing import hppd
from staffing.models import HppdTarget, Schedule, ShiftAssignment
from tests.finance.test_labour_cost import roster  # noqa: F401
from tests.records.factories import DepartmentFactory
from tests.staffing.census_helpers import patients, ward_bed  # noqa: F401
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def ward_month(hospital, roster, ward_bed):  # noqa: F811
    """Ward 4 West in March 2026: 56.5 paid hours on its published roster (6 × 7.5 h + 11.5 h), two patients
    every night of the month (62 patient days) and one who came and went on the 10th (a same-day stay: 1);
    a target of 7.5 h until February, 8.0 h from 1 March."""
    patients(ward_bed, 2, dt.date(2026, 2, 28), dt.date(2026, 3, 31))
    HppdTarget.objects.create(department=hospital.ward, effective_from=dt.date(2025, 1, 1),
                              hours_per_patient_day=Decimal("7.5"))
    HppdTarget.objects.create(department=hospital.ward, effective_from=MARCH, hours_per_patient_day=Decimal("8.0"))
    return hospital.ward


def test_actual_hours_per_patient_day_of_a_known_month(hospital, ward_month):
    figures = hppd.hppd_by_unit_month(start=MARCH, end=MARCH)
    march = figures[(hospital.ward.pk, MARCH)]
    assert (march.hours, march.patient_days) == (Decimal("56.50"), 62)
    assert march.actual == Decimal("0.91")  # 56.5 ÷ 62
    assert march.target == Decimal("8.00")
    assert march.variance == Decimal("-7.09")


def test_a_month_without_a_roster_has_its_target_and_no_actual_figure(hospital, ward_month):
    february = hppd.hppd_by_unit_month(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    figure = february[(hospital.ward.pk, dt.date(2026, 2, 1))]
    assert (figure.hours, figure.patient_days, figure.actual, figure.target) == (0, 2, None, Decimal("7.50"))
    both = hppd.total(hppd.hppd_by_unit_month(start=dt.date(2026, 2, 1), end=MARCH))
    assert (both.patient_days, both.actual) == (64, Decimal("0.91"))  # February's days are not set against hours


def test_the_month_in_progress_counts_its_days_gone(hospital, ward_bed, shifts_today):  # noqa: F811
    today, figure = shifts_today
    assert figure.hours == Decimal("7.50")  # yesterday's shift; today's and tomorrow's are still ahead
    assert figure.patient_days == 1 and figure.actual == Decimal("7.50")


@pytest.fixture
def shifts_today(hospital, ward_bed, monkeypatch):  # noqa: F811
    """On 15 April 2026 at 18:00: one patient since noon yesterday; a published roster with a day shift
    yesterday, today and tomorrow."""
    now = dt.datetime(2026, 4, 15, 18, tzinfo=hospital_zone())
    monkeypatch.setattr(timezone, "now", lambda: now)
    today = now.date()
    day = ShiftTypeFactory(department=hospital.ward, code="DD", start_time=dt.time(7), duration_minutes=480,
                           paid_minutes=450)
    schedule = ScheduleFactory(department=hospital.ward, start_date=today - dt.timedelta(days=1),
                               end_date=today + dt.timedelta(days=1), status=Schedule.Status.PUBLISHED,
                               created_by=hospital.users["head_med"])
    for offset in (-1, 0, 1):
        ShiftAssignment.objects.create(schedule=schedule, employee=hospital.nurse, shift_type=day,
                                       date=today + dt.timedelta(days=offset))
    patients(ward_bed, 1, today - dt.timedelta(days=1), None)
    month = today.replace(day=1)
    return today, hppd.hppd_by_unit_month(start=month, end=month)[(hospital.ward.pk, month)]


def test_a_unit_without_patient_days_has_no_figure(hospital, ward_month):
    assert all(unit_id == hospital.ward.pk for unit_id, _ in hppd.hppd_by_unit_month(start=MARCH, end=MARCH))


def test_it_costs_the_same_queries_for_one_unit_or_several(hospital, ward_month, ward_bed):  # noqa: F811
    def count():
        with CaptureQueriesContext(connection) as captured:
            hppd.hppd_by_unit_month(start=MARCH, end=dt.date(2026, 5, 31))
        return len(captured)

    one = count()
    for n in range(3):
        unit = DepartmentFactory(code=f"MED-{n}", name=f"Ward {n}", parent=hospital.medicine, kind="unit")
        bed = type(ward_bed).objects.create(room=ward_bed.room, unit=unit, label=f"U{n}")
        patients(bed, 1, MARCH, dt.date(2026, 3, 9))
        HppdTarget.objects.create(department=unit, effective_from=MARCH, hours_per_patient_day=Decimal("9"))
    assert count() == one <= 6


# The page ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["head_med", "ops"])
def test_heads_and_managers_see_their_units(client, hospital, ward_month, role):
    client.force_login(hospital.users[role])
    response = client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ward 4 West" in page and "0.91" in page and "8.00" in page and "-7.09" in page


def test_another_departments_head_sees_no_row_of_it(client, hospital, ward_month):
    client.force_login(hospital.users["head_surg"])
    response = client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03"})
    assert response.status_code == 200 and "Ward 4 West" not in response.content.decode()
    response = client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03", "unit": hospital.ward.pk})
    assert response.status_code == 400  # not a unit they may choose


@pytest.mark.parametrize("role", ["board", "staff", "scheduler_med", "finance"])
def test_others_get_404(client, hospital, ward_month, role):
    client.force_login(hospital.users[role])
    assert client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03"}).status_code == 404
    assert client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03", "format": "csv"}).status_code == 404


@pytest.mark.parametrize(("params", "message"), [
    ({"start": "2026-05", "end": "2026-03"}, "cannot be before the first"),
    ({"start": "2020-01", "end": "2026-03"}, "at most 36 months"),
    ({"start": "March", "end": "2026-03"}, "Enter a valid date"),
])
def test_a_bad_period_is_refused(client, hospital, ward_month, params, message):
    client.force_login(hospital.users["head_med"])
    response = client.get("/staffing/hppd/", params)
    assert response.status_code == 400 and message in response.content.decode()


def test_it_exports_the_table(client, hospital, ward_month):
    client.force_login(hospital.users["head_med"])
    response = client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03", "format": "csv"})
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "MED-4W,Ward 4 West,2026-03,56.50,62,0.91,8.00,-7.09" in text
    xlsx = client.get("/staffing/hppd/", {"start": "2026-03", "end": "2026-03", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_page_costs_the_same_queries_for_one_unit_or_several(client, hospital, ward_month, ward_bed,  # noqa: F811
                                                                  django_assert_max_num_queries):
    client.force_login(hospital.users["ops"])
    params = {"start": "2026-03", "end": "2026-04"}
    client.get("/staffing/hppd/", params)
    with CaptureQueriesContext(connection) as captured:
        client.get("/staffing/hppd/", params)
    one = len(captured)
    for n in range(3):
        unit = DepartmentFactory(code=f"MED-{n}", name=f"Ward {n}", parent=hospital.medicine, kind="unit")
        bed = type(ward_bed).objects.create(room=ward_bed.room, unit=unit, label=f"U{n}")
        patients(bed, 1, MARCH, dt.date(2026, 3, 9))
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/staffing/hppd/", params).content.decode()
    assert "Ward 2" in page
    assert len(captured) == one <= 15


def test_the_api_answers_the_same_figures(as_user, hospital, ward_month):
    answer = as_user("head_med").get("/api/v1/staffing/hppd/", {"start": "2026-03", "end": "2026-03"})
    assert answer.status_code == 200
    assert answer.json() == [{"department": hospital.ward.pk, "department_code": "MED-4W", "month": "2026-03-01",
                              "nursing_hours": "56.50", "patient_days": 62, "hours_per_patient_day": "0.91",
                              "target": "8.00"}]
    assert as_user("board").get("/api/v1/staffing/hppd/", {"start": "2026-03", "end": "2026-03"}).status_code in (
        403, 404)
    assert as_user("head_med").get("/api/v1/staffing/hppd/", {"start": "2026-04", "end": "2026-03"}
                                   ).status_code == 400


# Finance reads the same target --------------------------------------------------------------------------------


def test_finance_labour_per_patient_day_asks_for_the_same_measure(hospital, ward_month):
    from finance.models import FiscalYear, ServiceUnits

    year = FiscalYear.objects.create(name="FY2026", start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    ServiceUnits.objects.create(department=hospital.ward, month=MARCH, budgeted=100, actual=50)
    report = measures.variance(departments=Department.objects.filter(pk=hospital.ward.pk), fiscal_year=year,
                               through=MARCH)
    labour = measures.labour_cost(start=MARCH, end=dt.date(2026, 3, 31))[(hospital.ward.pk, MARCH)]
    nursing = measures.nursing_hours_per_patient_day(month=MARCH, department_ids={hospital.ward.pk})
    figures = measures.labour_per_patient_day(report, labour, nursing)
    assert figures.cost_per_patient_day == Decimal("59.22")  # 2,960.78 ÷ 50 imported patient days
    assert figures.hours_per_patient_day == Decimal("0.91")  # 56.5 h ÷ 62 census patient days, as above
    assert figures.target_hours_per_patient_day == Decimal("8.00")
    assert figures.hours_variance_per_patient_day == Decimal("-7.09")
