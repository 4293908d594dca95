"""Utilisation against a hand-computed fixture, and usage sessions that never overlap."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from facilities import equipment_selectors as selectors
from facilities import equipment_services as services
from facilities.models import UsageSession, WorkOrder
from hospital_ops.scoping import hospital_zone
from tests.races import race

from .equipment_fixtures import asset, kind, site

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def at(day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hospital_zone())


@pytest.fixture
def ct(hospital):
    site(hospital)
    scanner = asset(hospital.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))
    # open 08:00 for 16 hours every day
    services.set_operating_hours(actor=hospital.users["ops"], asset=scanner,
                                 week={d: (dt.time(8), Decimal("16")) for d in range(7)})
    return scanner


def session(scanner, sender, starts_at, ends_at, user):
    return services.record_usage_sessions(actor=user, rows=[
        {"sender_id": sender, "asset": scanner, "starts_at": starts_at, "ends_at": ends_at, "exam_type": "CT"}])


def test_utilisation_matches_the_hand_computed_figures(hospital, ct):
    ops = hospital.users["ops"]
    session(ct, "A", at(MONDAY, 9), at(MONDAY, 10), ops)  # Monday 1 h
    session(ct, "B", at(MONDAY, 23), at(TUESDAY, 1), ops)  # across midnight: 1 h Monday, 1 h Tuesday
    session(ct, "C", at(TUESDAY, 10), at(TUESDAY, 11, 30), ops)  # Tuesday 1.5 h
    # down 06:00-10:00 on Tuesday: two of those hours fall inside the operating window
    WorkOrder.objects.create(asset=ct, title="Tube fault", downtime_start=at(TUESDAY, 6), downtime_end=at(TUESDAY, 10))
    [row] = selectors.utilisation(ops, start=MONDAY, end=TUESDAY, by="asset", grain="day")
    monday, tuesday = row.buckets[MONDAY], row.buckets[TUESDAY]
    assert (monday.used, monday.available, monday.pct) == (2.0, 16.0, 12.5)
    assert (tuesday.used, tuesday.available, tuesday.pct) == (2.5, 14.0, 17.9)
    assert (row.total.used, row.total.available, row.total.pct) == (4.5, 30.0, 15.0)
    assert row.flag == "under"


def test_a_busy_asset_is_flagged_for_more_capacity(hospital, ct, settings):
    settings.EQUIPMENT_UTILISATION_HIGH = 10
    settings.EQUIPMENT_UTILISATION_LOW = 5
    session(ct, "A", at(MONDAY, 8), at(MONDAY, 12), hospital.users["ops"])
    [row] = selectors.utilisation(hospital.users["ops"], start=MONDAY, end=MONDAY, by="modality")
    assert (row.label, row.total.pct, row.flag) == ("Computed tomography", 25.0, "over")


def test_it_groups_days_into_weeks_and_months(hospital, ct):
    session(ct, "A", at(MONDAY, 9), at(MONDAY, 10), hospital.users["ops"])
    [row] = selectors.utilisation(hospital.users["ops"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                                  grain="week")
    assert sorted(row.buckets)[:2] == [dt.date(2026, 2, 23), dt.date(2026, 3, 2)]
    [row] = selectors.utilisation(hospital.users["ops"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                                  grain="month", by="department")
    assert list(row.buckets) == [dt.date(2026, 3, 1)]


def test_another_department_sees_no_utilisation(hospital, ct):
    assert selectors.utilisation(hospital.users["head_surg"], start=MONDAY, end=TUESDAY) == []


def test_it_refuses_overlapping_sessions_and_skips_a_resent_one(hospital, ct):
    ops = hospital.users["ops"]
    assert session(ct, "A", at(MONDAY, 9), at(MONDAY, 10), ops) == {"created": 1, "skipped": 0}
    assert session(ct, "A", at(MONDAY, 9), at(MONDAY, 10), ops) == {"created": 0, "skipped": 1}
    with pytest.raises(ValidationError):
        session(ct, "B", at(MONDAY, 9, 30), at(MONDAY, 11), ops)
    with pytest.raises(ValidationError):
        session(ct, "C", at(MONDAY, 11), at(MONDAY, 10), ops)
    assert UsageSession.objects.count() == 1


def test_another_department_cannot_record_usage(hospital, ct):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        session(ct, "A", at(MONDAY, 9), at(MONDAY, 10), hospital.users["head_surg"])


@pytest.mark.postgres
def test_the_database_refuses_overlapping_sessions(hospital, ct):
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint needs PostgreSQL")
    UsageSession.objects.create(asset=ct, sender_id="A", starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageSession.objects.create(asset=ct, sender_id="B", starts_at=at(MONDAY, 9, 30), ends_at=at(MONDAY, 11))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_store_one_of_two_overlapping_sessions(hospital):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    site(hospital)
    scanner = asset(hospital.ward, tag="CT-9", kind_=kind("CT", "CT scanner", modality="ct"))
    outcomes = race(*[
        (lambda sender=sender, minute=minute: session(scanner, sender, at(MONDAY, 9, minute), at(MONDAY, 10, minute),
                                                      hospital.users["ops"]))
        for sender, minute in [("A", 0), ("B", 10)]
    ])
    errors = [o for o in outcomes if isinstance(o, (ValidationError, IntegrityError))]
    assert UsageSession.objects.count() == 1
    assert len(errors) == 1
