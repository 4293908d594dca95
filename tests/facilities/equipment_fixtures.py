"""Builders shared by the equipment and inspection tests: a small building, rooms in two departments,
equipment kinds and assets, and the service roles."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from facilities.models import Asset, Building, Criticality, EquipmentKind, Floor, Room
from records import access
from tests.records.factories import make_user

_tags = itertools.count(1)


def site(hospital):
    building = Building.objects.create(code="MAIN", name="Main Hospital")
    floor = Floor.objects.create(building=building, level=1)
    hospital.building = building
    hospital.ward_room = Room.objects.create(floor=floor, number="4W01", department=hospital.ward)
    hospital.theatre_room = Room.objects.create(floor=floor, number="OR1", department=hospital.theatre,
                                                kind=Room.Kind.THEATRE)
    hospital.users["technician"] = make_user(username="technician", groups=[access.MAINTENANCE_TECHNICIAN])
    hospital.users["technician2"] = make_user(username="technician2", groups=[access.MAINTENANCE_TECHNICIAN])
    hospital.users["inspector"] = make_user(username="inspector", groups=[access.INSPECTOR])
    hospital.users["inspector2"] = make_user(username="inspector2", groups=[access.INSPECTOR])
    return hospital


def kind(code="PUMP", name="Infusion pump", modality="", criticality=Criticality.HIGH):
    return EquipmentKind.objects.get_or_create(
        code=code, defaults={"name": name, "modality": modality, "default_criticality": criticality}
    )[0]


def asset(department, *, kind_=None, room=None, criticality=Criticality.HIGH, status=Asset.Status.IN_SERVICE,
          **extra):
    n = next(_tags)
    return Asset.objects.create(
        tag=extra.pop("tag", f"EQ-{n:05d}"), kind=kind_ or kind(), manufacturer=extra.pop("manufacturer", "Baxter"),
        model_name="Sigma Spectrum", serial_number=extra.pop("serial_number", f"SN{n:06d}"), department=department,
        room=room, criticality=criticality, status=status, acquired_on=dt.date(2020, 3, 1),
        acquisition_cost=Decimal("4200.00"), expected_life_years=8, **extra,
    )
