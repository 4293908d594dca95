"""Reads of the building and room registry for its pages and exports, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from . import access
from .models import Bed, Building, Floor, Room


def building_list(user) -> QuerySet[Building]:
    return (
        Building.objects.visible_to(user)
        .annotate(floor_count=Count("floors", distinct=True),
                  room_count=Count("floors__rooms", filter=Q(floors__rooms__is_active=True), distinct=True))
        .order_by("code")
    )


def floor_list(user) -> QuerySet[Floor]:
    return (
        Floor.objects.visible_to(user).select_related("building")
        .annotate(room_count=Count("rooms", filter=Q(rooms__is_active=True)))
        .order_by("building__code", "level")
    )


def room_list(user) -> QuerySet[Room]:
    """The rooms the user keeps: every room for hospital-wide roles, their own units' rooms for heads."""
    return (
        Room.objects.visible_to(user)
        .filter(department__in=access.room_departments(user))
        .select_related("floor__building", "department")
        .annotate(bed_count=Count("beds", filter=Q(beds__is_active=True)))
        .order_by("floor__building__code", "floor__level", "number")
    )


def room_beds(room: Room) -> QuerySet[Bed]:
    return Bed.objects.filter(room=room).select_related("unit").order_by("label")


def history(obj, limit: int = 30):
    return obj.history.select_related("history_user").order_by("-history_date")[:limit]
