"""Bed counts over time: occupancy divides each day's patients by the beds of that day, and changing a bed
writes its unit's new count. Figures against a fixture computed by hand, on SQLite and PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from facilities import bed_services as s
from facilities import census
from facilities.models import Bed, BedCount
from hospital_ops.scoping import hospital_zone
from tests.facilities.beds_helpers import beds_fixture  # noqa: F401
from tests.facilities.test_beds_census import stays  # noqa: F401
from tests.races import race

JAN = dt.date(2026, 1, 10), dt.date(2026, 1, 13)


def count(unit, day, staffed, licensed):
    return BedCount.objects.create(unit=unit, effective_from=day, staffed_beds=staffed, licensed_beds=licensed)


def today():
    return timezone.localdate(timezone.now(), hospital_zone())


@pytest.mark.usefixtures("stays")
def test_occupancy_uses_the_beds_of_each_day(hospital):
    # The ward staffs its 3 beds until two close on 12 January: 3 + 3 + 1 + 1 = 8 staffed bed-days, 12 licensed.
    count(hospital.ward, dt.date(2026, 1, 1), 3, 3)
    count(hospital.ward, dt.date(2026, 1, 12), 1, 3)
    units, whole = census.utilisation(start=JAN[0], end=JAN[1])
    ward = units[hospital.ward.pk]
    assert [(row.day.day, row.staffed_beds, row.licensed_beds) for row in ward.daily] == [
        (10, 3, 3), (11, 3, 3), (12, 1, 3), (13, 1, 3)]
    assert (ward.staffed_bed_days, ward.licensed_bed_days) == (8, 12)
    assert ward.patient_days == 3
    assert ward.occupancy_staffed == Decimal("37.5")  # 3 ÷ 8
    assert ward.occupancy_licensed == Decimal("25.0")  # 3 ÷ 12
    assert ward.turnover == Decimal("1.00")  # 2 discharges ÷ 2 staffed beds on average
    assert (ward.staffed_beds, ward.licensed_beds) == (1, 3)  # as the period ends


@pytest.mark.usefixtures("stays")
def test_a_unit_without_counts_is_measured_with_its_beds_now(hospital):
    count(hospital.ward, dt.date(2026, 1, 12), 1, 3)
    units, whole = census.utilisation(start=JAN[0], end=JAN[1])
    theatre = units[hospital.theatre.pk]
    assert (theatre.staffed_bed_days, theatre.occupancy_staffed) == (4, Decimal("25.0"))  # 1 bed × 4 days
    # The ward's first count reaches back over the days before it: 4 × 1 staffed bed.
    assert units[hospital.ward.pk].staffed_bed_days == 4
    assert (whole.staffed_bed_days, whole.licensed_bed_days) == (8, 16)
    assert whole.occupancy_staffed == Decimal("50.0")  # 4 patient days ÷ 8
    assert [row.staffed_beds for row in whole.daily] == [2, 2, 2, 2]


@pytest.mark.usefixtures("stays")
def test_a_count_changed_after_the_period_leaves_it_as_it_was(hospital):
    count(hospital.ward, dt.date(2025, 12, 1), 3, 3)
    count(hospital.ward, dt.date(2026, 2, 1), 0, 0)
    units, _ = census.utilisation(start=JAN[0], end=JAN[1])
    assert units[hospital.ward.pk].occupancy_staffed == Decimal("25.0")


def test_closing_a_bed_writes_the_new_count_from_today_and_keeps_the_old_one_before(beds, hospital):
    s.save_bed(actor=hospital.users["head_med"], instance=beds["b"], data={"is_staffed": False})
    rows = list(BedCount.objects.filter(unit=hospital.ward).values_list("effective_from", "staffed_beds",
                                                                          "licensed_beds"))
    assert rows == [(today() - dt.timedelta(days=1), 3, 3), (today(), 2, 3)]
    units, _ = census.utilisation(start=today() - dt.timedelta(days=2), end=today())
    assert [row.staffed_beds for row in units[hospital.ward.pk].daily] == [3, 3, 2]
    assert units[hospital.ward.pk].staffed_bed_days == 8


def test_taking_a_bed_out_of_use_lowers_the_licensed_count(beds, hospital):
    s.save_bed(actor=hospital.users["ops"], instance=beds["iso"], data={"is_active": False})
    assert BedCount.objects.get(unit=hospital.ward, effective_from=today()).licensed_beds == 2


def test_a_change_undone_the_same_day_leaves_the_count_as_it_was(beds, hospital):
    head = hospital.users["head_med"]
    s.save_bed(actor=head, instance=beds["b"], data={"is_staffed": False})
    s.save_bed(actor=head, instance=Bed.objects.get(pk=beds["b"].pk), data={"is_staffed": True})
    assert list(BedCount.objects.filter(unit=hospital.ward).values_list("staffed_beds", flat=True)) == [3]


def test_a_change_that_touches_no_count_writes_nothing_new(beds, hospital):
    s.save_bed(actor=hospital.users["head_med"], instance=beds["a"], data={"kind": Bed.Kind.STEP_DOWN})
    assert list(BedCount.objects.values_list("effective_from", "staffed_beds")) == [(today() - dt.timedelta(days=1), 3)]


def test_a_new_bed_counts_from_today(beds, hospital):
    s.save_bed(actor=hospital.users["ops"], data={"room": beds["pacu"].room, "unit": hospital.theatre, "label": "2"})
    assert list(BedCount.objects.filter(unit=hospital.theatre).values_list("staffed_beds", "licensed_beds")) == [
        (1, 1), (2, 2)]


def test_moving_a_bed_to_another_unit_changes_both_counts(beds, hospital):
    s.save_bed(actor=hospital.users["ops"], instance=beds["pacu"], data={"unit": hospital.ward, "room": beds["a"].room})
    now = dict(BedCount.objects.filter(effective_from=today()).values_list("unit__code", "licensed_beds"))
    assert now == {"MED-4W": 4, "SURG-OR": 0}


def test_another_departments_head_changes_nothing(beds, hospital):
    with pytest.raises(PermissionDenied):
        s.save_bed(actor=hospital.users["head_surg"], instance=beds["b"], data={"is_staffed": False})
    assert not BedCount.objects.exists()
    assert Bed.objects.get(pk=beds["b"].pk).is_staffed


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between two connections")
def test_two_beds_closed_at_once_both_count(beds, hospital):
    head = hospital.users["head_med"]
    outcomes = race(*[
        (lambda bed=beds[name]: s.save_bed(actor=head, instance=bed, data={"is_staffed": False}))
        for name in ("a", "b")
    ])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert BedCount.objects.get(unit=hospital.ward, effective_from=today()).staffed_beds == 1
