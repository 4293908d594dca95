"""The building and room registry: its rules and who sees which rooms."""

import pytest
from django.db import IntegrityError, transaction

from facilities import access
from facilities.models import Building, Floor, Room


@pytest.fixture
def rooms(hospital):
    building = Building.objects.create(code="MAIN", name="Main Hospital")
    floor = Floor.objects.create(building=building, level=4)
    ward_room = Room.objects.create(floor=floor, number="4W01", department=hospital.ward)
    theatre = Room.objects.create(floor=floor, number="OR1", department=hospital.theatre, kind=Room.Kind.THEATRE)
    return floor, ward_room, theatre


def test_it_refuses_a_second_room_with_the_same_number_on_a_floor(rooms):
    floor, ward_room, _ = rooms
    with pytest.raises(IntegrityError), transaction.atomic():
        Room.objects.create(floor=floor, number="4W01", department=ward_room.department)


def test_it_refuses_two_floors_at_one_level(rooms):
    floor, _, _ = rooms
    with pytest.raises(IntegrityError), transaction.atomic():
        Floor.objects.create(building=floor.building, level=4)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("ops", {"4W01", "OR1"}),
        ("admin", {"4W01", "OR1"}),
        ("head_med", {"4W01"}),
        ("scheduler_med", {"4W01"}),
        ("head_surg", {"OR1"}),
        ("board", set()),
        ("staff", set()),
    ],
)
def test_each_role_sees_the_rooms_of_its_departments(hospital, rooms, role, sees):
    visible = Room.objects.visible_to(hospital.users[role])
    assert set(visible.values_list("number", flat=True)) == sees


def test_buildings_are_read_by_everyone_signed_in_and_kept_by_managers(hospital, rooms):
    assert Building.objects.visible_to(hospital.users["staff"]).count() == 1
    assert access.can_manage_buildings(hospital.users["ops"])
    assert not access.can_manage_buildings(hospital.users["head_med"])


def test_heads_manage_the_rooms_of_their_units_only(hospital, rooms):
    assert access.can_manage_rooms(hospital.users["head_med"], hospital.ward)
    assert not access.can_manage_rooms(hospital.users["head_med"], hospital.theatre)
    assert not access.can_manage_rooms(hospital.users["scheduler_med"], hospital.ward)


def test_the_room_label_names_its_building(rooms):
    _, ward_room, _ = rooms
    assert str(ward_room) == "MAIN-4W01"
    assert ward_room.floor.label == "Level 4"
