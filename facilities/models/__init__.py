"""Facilities: the building and room registry every facilities feature hangs on (beds, equipment,
inspections). A nursing unit is a records `Department`; rooms belong to one."""

from .registry import Building, Floor, Room

__all__ = ["Building", "Floor", "Room"]
from .beds import AdtEvent, Bed, BedOccupancy, CleaningTask, PatientStay, StayAccess  # noqa: E402,F401
