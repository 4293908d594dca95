"""The operating hours page of an asset: its department's heads and technicians set the week; others 404;
bad input is refused and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from facilities import equipment_services as services

from .equipment_fixtures import asset, kind, site

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(hospital):
    return site(hospital)


def scanner(h, department):
    ct = asset(department, kind_=kind("CT", "CT scanner", modality="CT"))
    services.set_operating_hours(actor=h.users["ops"], asset=ct, week={0: (dt.time(8), Decimal("10"))})
    return ct


def week(**changes):
    data = {f"opens_{d}": "" for d in range(7)} | {f"hours_{d}": "" for d in range(7)}
    data |= {"opens_0": "07:00", "hours_0": "12", "opens_5": "22:00", "hours_5": "8.5"}
    return data | changes


@pytest.mark.parametrize("role", ["head_med", "technician", "ops"])
def test_the_week_is_replaced(client, h, role):
    ct = scanner(h, h.ward)
    client.force_login(h.users[role])
    response = client.post(reverse("facilities:asset-operating-hours", args=[ct.pk]), week())
    assert response.status_code == 302
    assert [(r.weekday, r.opens, r.hours) for r in ct.operating_hours.order_by("weekday")] == [
        (0, dt.time(7), Decimal("12.00")), (5, dt.time(22), Decimal("8.50"))]


@pytest.mark.parametrize("role", ["head_surg", "scheduler_med", "board", "inspector"])
def test_other_roles_and_departments_get_404(client, h, role):
    ct = scanner(h, h.ward)
    client.force_login(h.users[role])
    url = reverse("facilities:asset-operating-hours", args=[ct.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, week()).status_code == 404
    assert ct.operating_hours.get().hours == Decimal("10.00")


@pytest.mark.parametrize(("changes", "message"), [
    ({"hours_0": "25"}, "less than or equal to 24"),
    ({"hours_0": ""}, "give both the opening time and the hours"),
    ({"opens_0": "not a time"}, "Enter a valid time"),
    ({"hours_0": "-1"}, "greater than or equal to 0"),
])
def test_bad_input_is_refused_and_changes_nothing(client, h, changes, message):
    ct = scanner(h, h.ward)
    client.force_login(h.users["technician"])
    response = client.post(reverse("facilities:asset-operating-hours", args=[ct.pk]), week(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ct.operating_hours.get().hours == Decimal("10.00")


def test_the_asset_page_links_to_its_operating_hours_for_those_who_edit_it(client, h):
    ct = scanner(h, h.ward)
    url = reverse("facilities:asset-operating-hours", args=[ct.pk])
    client.force_login(h.users["head_med"])
    assert url in client.get(ct.get_absolute_url()).content.decode()
    client.force_login(h.users["scheduler_med"])
    assert url not in client.get(ct.get_absolute_url()).content.decode()
