"""The demo beds and patient flow, loaded with COPY (or executemany on SQLite), keep every rule a stay, an
occupancy and a bed count must keep; the closed bay's counts agree with its beds."""

import datetime as dt
import random

import pytest
from django.db.models import Count
from django.utils import timezone

from facilities import bed_demo, census
from facilities import demo as facilities_demo
from facilities.models import Bed, BedCount, BedOccupancy, CleaningTask, PatientStay
from records import demo as records_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = records_demo.DemoContext(scale="small", rng=random.Random(7), today=timezone.localdate(),
                                       log=lambda message: None)
        for step in [*records_demo.STEPS, facilities_demo.build_registry, *bed_demo.STEPS]:
            step(ctx)
        yield ctx
        facilities_demo.flush()
        records_demo.flush()


def test_every_stay_and_occupancy_keeps_the_models_rules(demo):
    stays = list(PatientStay.objects.all())
    assert len(stays) > 1000
    for stay in stays[:: max(1, len(stays) // 200)]:
        stay.full_clean()
    for occupancy in BedOccupancy.objects.all()[:200]:
        occupancy.full_clean()
    assert not PatientStay.objects.filter(status="active", bed__isnull=True).exists()
    active = PatientStay.objects.filter(status="active").values("bed").annotate(n=Count("pk")).filter(n__gt=1)
    assert not active.exists()


def test_no_bed_holds_two_stays_at_once(demo):
    for bed_id in Bed.objects.values_list("pk", flat=True)[:40]:
        spans = list(BedOccupancy.objects.filter(bed_id=bed_id).order_by("starts_at")
                     .values_list("starts_at", "ends_at"))
        for (_, ends), (starts, _) in zip(spans, spans[1:], strict=False):
            assert ends is not None and ends <= starts


def test_every_units_latest_count_is_its_beds_now(demo):
    first = timezone.localdate() - dt.timedelta(days=bed_demo.HISTORY_DAYS + 1)
    for unit_id in Bed.objects.values_list("unit_id", flat=True).distinct():
        beds = Bed.objects.filter(unit_id=unit_id, is_active=True)
        counts = BedCount.objects.filter(unit_id=unit_id).order_by("effective_from")
        assert counts.first().effective_from == first
        latest = counts.last()
        assert (latest.staffed_beds, latest.licensed_beds) == (beds.filter(is_staffed=True).count(), beds.count())


def test_the_closed_bay_takes_no_patients_after_it_closed_and_its_count_says_so(demo):
    closed_on = timezone.localdate() - dt.timedelta(days=bed_demo.CLOSED_DAYS)
    closed = Bed.objects.filter(unit__code=bed_demo.CLOSED_BAY, is_staffed=False)
    if not closed.exists():
        pytest.skip(f"{bed_demo.CLOSED_BAY} is a unit of the large demo hospital only")
    since = timezone.now() - dt.timedelta(days=bed_demo.CLOSED_DAYS)
    assert not BedOccupancy.objects.filter(bed__in=closed, ends_at__gt=since).exists()
    unit = closed.first().unit
    counts = list(BedCount.objects.filter(unit=unit).order_by("effective_from")
                  .values_list("effective_from", "staffed_beds", "licensed_beds"))
    licensed = Bed.objects.filter(unit=unit).count()
    assert counts[-1] == (closed_on, licensed - closed.count(), licensed)
    assert counts[0][1:] == (licensed, licensed)
    units, _ = census.utilisation(start=closed_on - dt.timedelta(days=1), end=closed_on)
    assert [row.staffed_beds for row in units[unit.pk].daily] == [licensed, licensed - closed.count()]


def test_cleaning_tasks_follow_discharges(demo):
    assert CleaningTask.objects.filter(status="done", finished_at__isnull=False).count() > 1000
    assert not CleaningTask.objects.filter(status="done", finished_at__isnull=True).exists()
