"""The utilisation page: figures for one's own units, downloads, and refused periods."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facilities import bed_services
from tests.facilities.beds_helpers import at, beds_fixture  # noqa: F401

URL = "/facilities/beds/utilisation/"


def period():
    today = timezone.localdate()
    return {"start": (today - dt.timedelta(days=5)).isoformat(), "end": today.isoformat()}


def test_a_head_sees_only_their_units(client, hospital, beds):
    bed_services.admit(actor=None, encounter_number="E1", mrn="M1", bed=beds["a"], at=at(0))
    client.force_login(hospital.users["head_surg"])
    page = client.get(URL, period())
    assert page.status_code == 200
    assert [name for name, _ in page.context["rows"]] == ["SURG-OR"]
    assert page.context["whole"].patient_days == 0
    client.force_login(hospital.users["head_med"])
    page = client.get(URL, period())
    assert page.context["whole"].patient_days == 2 and b"<svg" in page.content


def test_it_exports_csv_and_xlsx(client, hospital, beds):
    client.force_login(hospital.users["ops"])
    csv = client.get(URL, period() | {"export": "csv"})
    assert csv.status_code == 200 and csv.content.decode().splitlines()[0].startswith("Unit,Licensed beds")
    assert client.get(URL, period() | {"export": "xlsx"})["Content-Type"].startswith("application/vnd.openxml")


def test_it_refuses_absurd_periods(client, hospital, beds):
    client.force_login(hospital.users["ops"])
    assert client.get(URL, {"start": "2026-05-01", "end": "2026-01-01"}).status_code == 400
    assert client.get(URL, {"start": "1900-01-01", "end": "2026-01-01"}).status_code == 400
    assert client.get(URL, {"start": "garbage", "end": "2026-01-01"}).status_code == 400


def test_board_members_are_not_shown_it(client, hospital, beds):
    client.force_login(hospital.users["board"])
    assert client.get(URL).status_code == 404


def test_its_queries_do_not_grow_with_stays(client, hospital, beds):
    client.force_login(hospital.users["ops"])
    with CaptureQueriesContext(connection) as few:
        client.get(URL, period())
    for n, bed in enumerate([beds["b"], beds["iso"], beds["pacu"]]):
        bed_services.admit(actor=None, encounter_number=f"E{n}", mrn=f"M{n}", bed=bed, at=at(n))
    with CaptureQueriesContext(connection) as many:
        client.get(URL, period())
    assert len(many) == len(few)
