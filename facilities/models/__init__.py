"""Facilities: the building and room registry every facilities feature hangs on (beds, equipment,
inspections). A nursing unit is a records `Department`; rooms belong to one."""

from .registry import Building, Floor, Room

__all__ = ["Building", "Floor", "Room"]
from .equipment import *  # noqa: E402, F403
from .inspections import *  # noqa: E402, F403
