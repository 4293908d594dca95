"""Facilities: the building and room registry every facilities feature hangs on (beds, equipment,
inspections). A nursing unit is a records `Department`; rooms belong to one."""

from .beds import AdtEvent, Bed, BedCount, BedOccupancy, CleaningTask, PatientStay, StayAccess
from .equipment import Asset, Criticality, EquipmentKind, MaintenancePlan, OperatingHours, UsageSession, WorkOrder
from .inspections import (
    Area,
    Finding,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSchedule,
    InspectionTemplate,
    Recommendation,
    Shift,
    TemplateItem,
)
from .registry import Building, Floor, Room

__all__ = [
    "AdtEvent", "Area", "Asset", "Bed", "BedCount", "BedOccupancy", "Building", "CleaningTask", "Criticality",
    "EquipmentKind", "Finding", "Floor", "Inspection", "InspectionPhoto", "InspectionResult", "InspectionSchedule",
    "InspectionTemplate", "MaintenancePlan", "OperatingHours", "PatientStay", "Recommendation", "Room", "Shift",
    "StayAccess", "TemplateItem", "UsageSession", "WorkOrder",
]
