"""The facilities pages the large hospital strains (bed utilisation, the bed board, equipment utilisation, the
equipment register and the work orders) cost the same queries for one row of what they show as for many, and
at most 15, for the operations manager (the whole hospital) and for a department head."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilities import bed_services, census, equipment_services, forecast
from facilities.models import Bed, Floor, Room
from hospital_ops.scoping import hospital_zone
from tests.facilities.beds_helpers import at, beds_fixture  # noqa: F401
from tests.records.factories import DepartmentFactory

from .equipment_fixtures import asset, kind, site

MAX_QUERIES = 15
USERS = ["ops", "head_med"]
_numbers = itertools.count(1)


def queries(client, url, params=None):
    client.get(url, params)  # the session's first request records when it was seen
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), response


def assert_flat(one: int, many: int, url: str) -> None:
    assert one == many, f"{url}: {one} queries for one row, {many} for many"
    assert many <= MAX_QUERIES, f"{url}: {many} queries"


# Beds ----------------------------------------------------------------------------------------------------


def admit(bed, hours):
    n = next(_numbers)
    return bed_services.admit(actor=None, encounter_number=f"E{n}", mrn=f"M{n}", bed=bed, at=at(hours),
                              expected_discharge=timezone.localdate() + dt.timedelta(days=n % 5))


def more_units(hospital, beds, count):
    """`count` more inpatient units of Medicine, each with three beds, two of them taken (one patient gone)."""
    floor = Floor.objects.get()
    for n in range(count):
        unit = DepartmentFactory(code=f"MED-U{n}", name=f"Medicine unit {n}", parent=hospital.medicine, kind="unit")
        room = Room.objects.create(floor=floor, number=f"5{n:02d}", department=unit)
        made = [Bed.objects.create(room=room, unit=unit, label=label) for label in "ABC"]
        stay = admit(made[0], 1)
        bed_services.discharge(actor=None, stay=stay, at=at(20))
        admit(made[1], 2)
        admit(made[2], 3)


@pytest.mark.parametrize("username", USERS)
def test_bed_utilisation_costs_the_same_for_one_unit_as_for_many(client, hospital, beds, username):
    client.force_login(hospital.users[username])
    today = timezone.localdate()
    url = "/facilities/beds/utilisation/"
    params = {"start": (today - dt.timedelta(days=5)).isoformat(), "end": today.isoformat()}
    admit(beds["a"], 0)
    one, page = queries(client, url, params)
    units = [name for name, _ in page.context["rows"]]
    more_units(hospital, beds, 6)
    many, page = queries(client, url, params)
    assert [name for name, _ in page.context["rows"]] == sorted(units + [f"MED-U{n}" for n in range(6)])
    assert_flat(one, many, url)


@pytest.mark.parametrize("username", USERS)
def test_the_bed_board_costs_the_same_for_one_bed_as_for_many(client, hospital, beds, username):
    client.force_login(hospital.users[username])
    url = "/facilities/beds/board/"
    Bed.objects.exclude(pk=beds["a"].pk).update(is_active=False)
    admit(beds["a"], 0)
    one, page = queries(client, url)
    assert page.content.count(b'class="bed-tile') == 1
    Bed.objects.update(is_active=True)
    more_units(hospital, beds, 6)
    many, page = queries(client, url)
    assert page.content.count(b'class="bed-tile') == len(Bed.objects.visible_to(hospital.users[username]))
    assert page.content.count(" · out ".encode()) == 1 + 6 * 2, "each patient in a bed shows when they should leave"
    assert_flat(one, many, url)


# Equipment -------------------------------------------------------------------------------------------------


def scanner(hospital, n):
    made = asset(hospital.ward, tag=f"CT-{n}", kind_=kind("CT", "CT scanner", modality="ct"))
    ops = hospital.users["ops"]
    equipment_services.set_operating_hours(actor=ops, asset=made, week={d: (dt.time(8), Decimal("12"))
                                                                        for d in range(7)})
    day = timezone.localdate() - dt.timedelta(days=3)
    starts = dt.datetime.combine(day, dt.time(9), tzinfo=hospital_zone())
    equipment_services.record_usage_sessions(actor=ops, rows=[
        {"sender_id": f"S{n}-{k}", "asset": made, "starts_at": starts + dt.timedelta(hours=2 * k),
         "ends_at": starts + dt.timedelta(hours=2 * k + 1), "exam_type": "CT"} for k in range(3)])
    equipment_services.report_fault(actor=ops, asset=made, title="Tube noise")
    return made


@pytest.fixture
def equipment(hospital):
    return site(hospital)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("by", ["asset", "modality", "department"])
def test_equipment_utilisation_costs_the_same_for_one_asset_as_for_many(client, hospital, equipment, username, by):
    client.force_login(hospital.users[username])
    url, params = "/facilities/utilisation/", {"by": by, "grain": "day"}
    scanner(hospital, 0)
    one, page = queries(client, url, params)
    assert b"CT-0" in page.content or by != "asset"
    for n in range(1, 8):
        scanner(hospital, n)
    many, page = queries(client, url, params)
    assert b"CT-7" in page.content or by != "asset"
    assert_flat(one, many, url)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("url", ["/facilities/equipment/", "/facilities/work-orders/"])
def test_the_register_and_work_orders_cost_the_same_for_one_row_as_for_many(client, hospital, equipment, username,
                                                                              url):
    client.force_login(hospital.users[username])
    scanner(hospital, 0)
    one, _ = queries(client, url)
    for n in range(1, 30):
        scanner(hospital, n)
    many, page = queries(client, url)
    assert b"CT-29" in page.content
    assert_flat(one, many, url)


def test_the_register_counts_each_assets_open_work_orders(client, hospital, equipment):
    client.force_login(hospital.users["ops"])
    busy, idle = scanner(hospital, 0), asset(hospital.ward, tag="PUMP-1")
    equipment_services.report_fault(actor=hospital.users["ops"], asset=busy, title="Table jams")
    page = client.get("/facilities/equipment/")
    counts = {a.tag: a.open_orders for a in page.context["assets"]}
    assert counts == {busy.tag: 2, idle.tag: 0}


def test_bed_utilisation_shows_the_census_measures_and_forecast_of_the_period(client, hospital, beds):
    for n, bed in enumerate([beds["a"], beds["b"], beds["pacu"]]):
        admit(bed, n)
    bed_services.discharge(actor=None, stay=beds["b"].stays.get(), at=at(30))
    client.force_login(hospital.users["ops"])
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    start = today - dt.timedelta(days=30)
    page = client.get("/facilities/beds/utilisation/", {"start": start.isoformat(), "end": yesterday.isoformat()})

    _, whole = census.utilisation(start=start, end=yesterday)
    shown = page.context["whole"]
    assert (shown.patient_days, shown.discharges, [r.census for r in shown.daily]) == (
        whole.patient_days, whole.discharges, [r.census for r in whole.daily])
    _, recent = census.utilisation(start=yesterday - dt.timedelta(days=forecast.HISTORY - 1), end=yesterday)
    expected = forecast.forecast([r.census for r in recent.daily], last_day=yesterday)
    assert [(d.day, round(d.expected, 6), round(d.low, 6), round(d.high, 6)) for d in page.context["forecast"]] == [
        (d.day, round(d.expected, 6), round(d.low, 6), round(d.high, 6)) for d in expected]
