"""Beds for the facilities tests: a ward with three beds (one isolation) and a theatre recovery bed."""

import datetime as dt

import pytest
from django.utils import timezone

from facilities.models import Bed, Building, Floor, Room
from records import access
from tests.records.factories import make_token, make_user

T0 = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)


def at(hours: float) -> dt.datetime:
    """A moment `hours` after T0 (two days ago)."""
    return T0 + dt.timedelta(hours=hours)


@pytest.fixture(name="beds")
def beds_fixture(hospital):
    building = Building.objects.create(code="MAIN", name="Main Hospital")
    floor = Floor.objects.create(building=building, level=4)
    ward_room = Room.objects.create(floor=floor, number="401", department=hospital.ward)
    side_room = Room.objects.create(floor=floor, number="402", department=hospital.ward)
    theatre_room = Room.objects.create(floor=floor, number="PACU", department=hospital.theatre)
    made = {
        "a": Bed.objects.create(room=ward_room, unit=hospital.ward, label="A"),
        "b": Bed.objects.create(room=ward_room, unit=hospital.ward, label="B"),
        "iso": Bed.objects.create(room=side_room, unit=hospital.ward, label="A", isolation=True,
                                  negative_pressure=True),
        "pacu": Bed.objects.create(room=theatre_room, unit=hospital.theatre, label="1", kind=Bed.Kind.STEP_DOWN),
    }
    return made


@pytest.fixture(name="integration")
def integration_fixture(hospital):
    """The EHR interface account (hospital-wide) and its facilities-write token."""
    user = make_user(username="ehr", groups=[access.OPERATIONS_MANAGER])
    _, key = make_token(user=user, scopes={"facilities": "write"})
    return user, key


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()
