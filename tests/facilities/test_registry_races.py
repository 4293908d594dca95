"""Races for real on PostgreSQL: two managers registering the same building code, or the same room number on
a floor, at once: exactly one is saved, the other gets the clear refusal, never a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from facilities import registry_services as services
from facilities.models import Building, Floor, Room
from records import access
from tests.races import race
from tests.records.factories import DepartmentFactory, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="unique constraints between two connections"),
]
RACERS = 8


def test_racing_registrations_of_one_building_code_save_one():
    managers = [make_user(username=f"ops{n}", groups=[access.OPERATIONS_MANAGER]) for n in range(RACERS)]
    outcomes = race(*[
        (lambda user=user: services.save_building(actor=user, data={"code": "EAST", "name": f"East {user.username}"}))
        for user in managers
    ])
    saved = [o for o in outcomes if isinstance(o, Building)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(saved) == 1 and len(refused) == RACERS - 1, outcomes
    assert Building.objects.filter(code="EAST").count() == 1
    assert Building.history.filter(code="EAST").count() == 1


def test_racing_rooms_with_one_number_on_a_floor_save_one():
    ward = DepartmentFactory(code="MED-4W", kind="unit")
    floor = Floor.objects.create(building=Building.objects.create(code="MAIN", name="Main"), level=4)
    managers = [make_user(username=f"ops{n}", groups=[access.OPERATIONS_MANAGER]) for n in range(RACERS)]
    outcomes = race(*[
        (lambda user=user: services.save_room(actor=user, data={"floor": floor, "number": "401", "department": ward}))
        for user in managers
    ])
    saved = [o for o in outcomes if isinstance(o, Room)]
    assert len(saved) == 1 and all(isinstance(o, ValidationError) for o in outcomes if o not in saved), outcomes
    assert Room.objects.filter(floor=floor, number="401").count() == 1
