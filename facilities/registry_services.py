"""Every change to the building and room registry: buildings and floors are the hospital's map, kept by
hospital-wide roles; rooms belong to a department and are kept by its heads. Nothing is deleted: a building
or room leaves use, and its history stays."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from . import access
from .models import Bed, Building, Floor, Room

BUILDING_FIELDS = ("code", "name", "address", "is_active")
FLOOR_FIELDS = ("building", "level", "name")
ROOM_FIELDS = ("floor", "number", "name", "department", "kind", "is_active")


def _assign(obj, fields, data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _save(obj, reason: str, conflict: str):
    """Validated in full, saved with its history reason; a twin saved by someone else a moment earlier (the
    unique constraint fires only in the database) is the same clear refusal as one validation finds."""
    try:
        with transaction.atomic():
            return save_checked(obj, reason)
    except IntegrityError as error:
        raise ValidationError(conflict) from error


@transaction.atomic
def save_building(*, actor, data: dict[str, Any], instance: Building | None = None) -> Building:
    """Register or change a building. It leaves use only once none of its rooms is in use."""
    if not access.can_manage_buildings(actor):
        raise PermissionDenied
    if instance is not None:
        instance = Building.objects.select_for_update().get(pk=instance.pk)
    building = instance or Building()
    _assign(building, BUILDING_FIELDS, data)
    if building.pk and not building.is_active:
        in_use = Room.objects.filter(floor__building=building, is_active=True).count()
        if in_use:
            raise ValidationError(_("%(n)s rooms of this building are still in use: take them out of use first.")
                                  % {"n": in_use})
    reason = "registered" if building.pk is None else "updated"
    return _save(building, reason, _("A building with this code already exists."))


@transaction.atomic
def save_floor(*, actor, data: dict[str, Any], instance: Floor | None = None) -> Floor:
    """Add or change a floor. A new floor goes in a building in use; a floor with rooms stays in its
    building (its rooms would move with it)."""
    if not access.can_manage_buildings(actor):
        raise PermissionDenied
    if instance is not None:
        instance = Floor.objects.select_for_update().get(pk=instance.pk)
    floor = instance or Floor()
    previous_building = floor.building_id if floor.pk else None
    _assign(floor, FLOOR_FIELDS, data)
    if floor.pk is None and floor.building_id and not floor.building.is_active:
        raise ValidationError(_("Building %(code)s is not in use: put it back in use before adding floors.")
                              % {"code": floor.building.code})
    if previous_building and floor.building_id != previous_building and floor.rooms.exists():
        raise ValidationError(_("This floor has rooms, so it stays in its building."))
    reason = "registered" if floor.pk is None else "updated"
    return _save(floor, reason, _("This building already has a floor at this level."))


@transaction.atomic
def save_room(*, actor, data: dict[str, Any], instance: Room | None = None) -> Room:
    """Add or change a room of a department the actor keeps (and, when it moves, of the one it moves to).
    `data["building"]`, when given, must be the floor's building. A room leaves use only once its beds
    have."""
    if instance is not None:
        instance = Room.objects.select_for_update().select_related("department").get(pk=instance.pk)
        if not access.can_manage_rooms(actor, instance.department):
            raise PermissionDenied
    room = instance or Room()
    was_active = room.is_active if room.pk else True
    _assign(room, ROOM_FIELDS, data)
    if not getattr(room, "department_id", None) or not access.can_manage_rooms(actor, room.department):
        raise PermissionDenied
    building = data.get("building")
    if building is not None and room.floor_id and room.floor.building_id != building.pk:
        raise ValidationError({"floor": _("Floor %(floor)s is not in building %(building)s.")
                               % {"floor": room.floor.label, "building": building.code}})
    if room.floor_id and not room.floor.building.is_active and (room.pk is None or room.is_active):
        raise ValidationError({"floor": _("Building %(code)s is not in use.") % {"code": room.floor.building.code}})
    if room.pk and was_active and not room.is_active:
        beds = Bed.objects.filter(room=room, is_active=True).count()
        if beds:
            raise ValidationError(_("%(n)s beds of this room are still in use: take them out of use first.")
                                  % {"n": beds})
    reason = "registered" if room.pk is None else "updated"
    return _save(room, reason, _("This floor already has a room with this number."))
