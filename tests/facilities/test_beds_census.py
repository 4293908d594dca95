"""Census figures against fixtures computed by hand: a stay across midnight, a same-day stay, a transfer at
23:59 and a stay across the spring daylight-saving change (America/Chicago: 8 March 2026 has 23 hours).
Run on SQLite and, with DATABASE_URL, on PostgreSQL: both must give the same figures."""

import datetime as dt
from decimal import Decimal

import pytest

from facilities import bed_services as s
from facilities import census
from facilities.models import Bed
from hospital_ops.scoping import hospital_zone
from tests.facilities.beds_helpers import beds_fixture  # noqa: F401


def local(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=hospital_zone())


def ready(bed):
    Bed.objects.filter(pk=bed.pk).update(status=Bed.Status.AVAILABLE)
    bed.refresh_from_db()


@pytest.fixture
def stays(beds, settings):
    settings.HOSPITAL_TIME_ZONE = "America/Chicago"
    a, b, pacu = beds["a"], beds["b"], beds["pacu"]
    across_midnight = s.admit(actor=None, encounter_number="S1", mrn="M1", bed=a, at=local(1, 10, 14))
    s.discharge(actor=None, stay=across_midnight, at=local(1, 12, 10))
    same_day = s.admit(actor=None, encounter_number="S2", mrn="M2", bed=b, at=local(1, 11, 8))
    s.discharge(actor=None, stay=same_day, at=local(1, 11, 17))
    ready(b)
    late_transfer = s.admit(actor=None, encounter_number="S3", mrn="M3", bed=b, at=local(1, 12, 9))
    late_transfer = s.transfer(actor=None, stay=late_transfer, bed=pacu, at=local(1, 12, 23, 59))
    s.discharge(actor=None, stay=late_transfer, at=local(1, 13, 12))
    ready(a)
    across_dst = s.admit(actor=None, encounter_number="S4", mrn="M4", bed=a, at=local(3, 7, 10))
    s.discharge(actor=None, stay=across_dst, at=local(3, 9, 0, 30))
    return beds


def test_midnight_census_same_day_stays_and_a_transfer_at_2359(stays, hospital):
    rows = census.daily(start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 13))
    ward, theatre = rows[hospital.ward.pk], rows[hospital.theatre.pk]
    assert {day: row.census for day, row in ward.items() if row.census} == {
        dt.date(2026, 1, 10): 1, dt.date(2026, 1, 11): 1}
    assert ward[dt.date(2026, 1, 11)].same_day == 1
    assert ward[dt.date(2026, 1, 12)].census == 0 and ward[dt.date(2026, 1, 12)].transfers_out == 1
    assert theatre[dt.date(2026, 1, 12)].census == 1 and theatre[dt.date(2026, 1, 12)].transfers_in == 1
    assert theatre[dt.date(2026, 1, 13)].discharges == 1


def test_a_stay_across_the_daylight_saving_change(stays, hospital):
    rows = census.daily(start=dt.date(2026, 3, 6), end=dt.date(2026, 3, 9))[hospital.ward.pk]
    assert {day: row.census for day, row in rows.items()} == {
        dt.date(2026, 3, 7): 1, dt.date(2026, 3, 8): 1, dt.date(2026, 3, 9): 0}
    assert rows[dt.date(2026, 3, 9)].discharges == 1


def test_period_measures_by_unit_and_hospital(stays, hospital):
    units, whole = census.utilisation(start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 13))
    ward, theatre = units[hospital.ward.pk], units[hospital.theatre.pk]
    assert (ward.patient_days, ward.admissions, ward.discharges, ward.transfers_out) == (3, 3, 2, 1)
    assert ward.average_length_of_stay == Decimal("1.50")
    assert ward.licensed_beds == 3 and ward.occupancy_staffed == Decimal("25.0")  # 3 ÷ (3 beds × 4 days)
    assert (theatre.patient_days, theatre.transfers_in, theatre.discharges) == (1, 1, 1)
    assert whole.patient_days == 4 and whole.discharges == 3
    assert [row.census for row in whole.daily] == [1, 1, 1, 0]


def test_only_the_units_asked_for_are_counted(stays, hospital):
    units, whole = census.utilisation(start=dt.date(2026, 1, 10), end=dt.date(2026, 1, 13),
                                      unit_ids=[hospital.theatre.pk])
    assert set(units) == {hospital.theatre.pk} and whole.patient_days == 1


def test_boarding_and_cleaning_turnaround(beds, hospital):
    from django.utils import timezone

    from facilities.models import CleaningTask
    from records import access
    from tests.records.factories import make_user

    now = timezone.now()
    stay = s.pre_admit(actor=None, encounter_number="B1", mrn="B1", unit=hospital.ward, at=now - dt.timedelta(hours=7))
    stay = s.admit(actor=None, encounter_number="B1", mrn="B1", bed=beds["a"], at=now - dt.timedelta(hours=4))
    s.discharge(actor=None, stay=stay, at=now - dt.timedelta(hours=2))
    evs = make_user(username="evs", groups=[access.ENVIRONMENTAL_SERVICES])
    task = CleaningTask.objects.get()
    s.finish_cleaning(actor=evs, task=task)
    CleaningTask.objects.filter(pk=task.pk).update(finished_at=now - dt.timedelta(hours=1, minutes=15))
    today = timezone.localdate()
    units, _ = census.utilisation(start=today - dt.timedelta(days=1), end=today)
    ward = units[hospital.ward.pk]
    assert ward.boarding_hours == Decimal("3.0") and ward.cleaning_minutes == Decimal("45.0")


def test_blocked_bed_days_come_from_the_status_history(beds, hospital):
    from django.utils import timezone

    bed = beds["b"]
    s.change_bed_status(actor=hospital.users["ops"], bed=bed, status="blocked", reason="Repair")
    history = bed.history.order_by("-history_date", "-history_id").first()
    bed.history.filter(pk=history.pk).update(history_date=timezone.now() - dt.timedelta(hours=36))
    today = timezone.localdate()
    units, _ = census.utilisation(start=today - dt.timedelta(days=3), end=today)
    assert units[hospital.ward.pk].blocked_bed_days == Decimal("1.5")
