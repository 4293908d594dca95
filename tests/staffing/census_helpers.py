"""A ward with a bed and a census made to measure: `patients(n, first_night, last_night)` puts n patients in
the ward for the midnights ending those days (so the midnight census of each of those days is n)."""

import datetime as dt
import itertools

import pytest

from facilities.models import Bed, BedOccupancy, Building, Floor, PatientStay, Room
from hospital_ops.scoping import hospital_zone

SERIAL = itertools.count()


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=hospital_zone())


@pytest.fixture
def ward_bed(hospital):
    building = Building.objects.create(code="CEN", name="Census Wing")
    floor = Floor.objects.create(building=building, level=2)
    room = Room.objects.create(floor=floor, number="201", department=hospital.ward)
    return Bed.objects.create(room=room, unit=hospital.ward, label="A")


def patients(bed: Bed, n: int, first_night: dt.date, last_night: dt.date | None) -> None:
    """n patients admitted at noon on `first_night` and discharged at noon the day after `last_night` (None:
    still in), each in a bed of its own in `bed`'s room and unit (a bed never holds two stays at once)."""
    for _ in range(n):
        serial = next(SERIAL)
        ends = noon(last_night + dt.timedelta(days=1)) if last_night else None
        place = Bed.objects.create(room=bed.room, unit=bed.unit, label=f"X{serial}")
        stay = PatientStay.objects.create(
            encounter_number=f"ENC{serial}", mrn=f"MRN{serial}", unit=bed.unit, bed=None if ends else place,
            status="discharged" if ends else "active", admitted_at=noon(first_night), discharged_at=ends,
        )
        BedOccupancy.objects.create(stay=stay, bed=place, unit=bed.unit, starts_at=noon(first_night), ends_at=ends)
