"""Demo data for the facilities registry: three buildings, their floors, and rooms for every department.

Nursing units get patient rooms (beds go in them), diagnostic services imaging or laboratory rooms,
support services plant rooms and stores, everyone an office. Later facilities steps (beds, equipment,
inspections) find them in `ctx.data["rooms"]` ({department code: [Room, ...]}).
"""

from __future__ import annotations

from collections.abc import Callable

from records.demo import DemoContext

from . import bed_demo, equipment_demo
from .models import Building, Floor, Room

BUILDINGS = [
    ("MAIN", "Main Hospital", "1200 River Road", range(-1, 7)),
    ("EAST", "East Wing", "1240 River Road", range(0, 5)),
    ("SVC", "Services Building", "1300 River Road", range(-1, 3)),
]

# department code → (building, level); departments not listed sit in the Main Hospital's level 1.
PLACES = {
    "ED": ("MAIN", 0), "ED-MAIN": ("MAIN", 0), "ED-FT": ("MAIN", 0),
    "RAD": ("MAIN", 0), "RAD-CT": ("MAIN", 0), "RAD-XR": ("MAIN", 0),
    "SURG": ("MAIN", 2), "SURG-OR": ("MAIN", 2), "SURG-PACU": ("MAIN", 2),
    "SURG-3N": ("MAIN", 3), "SURG-ORTH": ("MAIN", 3),
    "MED": ("MAIN", 4), "MED-4W": ("MAIN", 4), "MED-4E": ("MAIN", 4),
    "MED-5W": ("MAIN", 5), "MED-ONC": ("MAIN", 6),
    "CC": ("MAIN", 1), "CC-ICU": ("MAIN", 1), "CC-CCU": ("MAIN", 1), "CC-HDU": ("MAIN", 1),
    "WC": ("EAST", 1), "WC-LD": ("EAST", 1), "WC-MAT": ("EAST", 2), "WC-NICU": ("EAST", 2),
    "WC-PAED": ("EAST", 3), "MH": ("EAST", 4), "MH-ACU": ("EAST", 4),
    "LAB": ("SVC", 0), "LAB-CHEM": ("SVC", 0), "LAB-MICRO": ("SVC", 0), "LAB-BB": ("SVC", 0),
    "PHARM": ("MAIN", -1), "SUP": ("SVC", -1), "SUP-FAC": ("SVC", -1), "SUP-ENV": ("SVC", -1),
    "SUP-PORT": ("MAIN", -1), "SUP-CAT": ("SVC", 1), "SUP-SSD": ("MAIN", -1),
    "ADM": ("SVC", 2), "ADM-HR": ("SVC", 2), "ADM-FIN": ("SVC", 2), "ADM-HIM": ("SVC", 2), "ADM-IT": ("SVC", 2),
}

SPECIAL_ROOMS = {
    "ED-MAIN": [("RESUS", "Resuscitation bay", Room.Kind.PROCEDURE), ("TRIAGE", "Triage", Room.Kind.CLINIC)],
    "SURG-OR": [(f"OR{n}", f"Theatre {n}", Room.Kind.THEATRE) for n in range(1, 7)],
    "RAD-CT": [("CT1", "CT scanner 1", Room.Kind.IMAGING), ("CT2", "CT scanner 2", Room.Kind.IMAGING),
               ("MRI1", "MRI suite", Room.Kind.IMAGING)],
    "RAD-XR": [(f"XR{n}", f"X-ray room {n}", Room.Kind.IMAGING) for n in range(1, 4)]
    + [("US1", "Ultrasound", Room.Kind.IMAGING)],
    "RAD": [("IMG1", "Imaging reception", Room.Kind.IMAGING)],
    "LAB": [("LAB1", "Core laboratory", Room.Kind.LABORATORY)],
    "LAB-CHEM": [("CHEM1", "Chemistry bench", Room.Kind.LABORATORY)],
    "LAB-MICRO": [("MICRO1", "Microbiology suite", Room.Kind.LABORATORY)],
    "LAB-BB": [("BB1", "Blood bank", Room.Kind.LABORATORY)],
    "SUP-FAC": [("GEN1", "Emergency generator room", Room.Kind.PLANT), ("BOIL1", "Boiler room", Room.Kind.PLANT),
                ("WKSHP", "Engineering workshop", Room.Kind.UTILITY)],
    "SUP-ENV": [("ENV1", "Housekeeping store", Room.Kind.UTILITY)],
    "SUP-SSD": [("SSD1", "Decontamination", Room.Kind.UTILITY)],
}


def patient_rooms(ctx: DemoContext, code: str) -> int:
    """Patient rooms of a nursing unit: about three beds a head of relative staffing (600 beds at `large`)."""
    weight = ctx.data.get("headcount_weights", {}).get(code, 6)
    return max(4, weight * 2 + 1 if ctx.large else weight)


def build_registry(ctx: DemoContext) -> None:
    buildings = ctx.bulk_create(Building, [Building(code=c, name=n, address=a) for c, n, a, _ in BUILDINGS])
    by_code = {b.code: b for b in buildings}
    floors = ctx.bulk_create(
        Floor, [Floor(building=by_code[c], level=level) for c, _, _, levels in BUILDINGS for level in levels]
    )
    floor_at = {(f.building.code, f.level): f for f in floors}
    rooms: list[Room] = []
    for code, department in ctx.data["departments"].items():
        floor = floor_at[PLACES.get(code, ("MAIN", 1))]
        prefix = f"{floor.level if floor.level >= 0 else 'B'}"
        if department.kind == department.Kind.UNIT:
            for n in range(1, patient_rooms(ctx, code) + 1):
                rooms.append(Room(floor=floor, department=department, kind=Room.Kind.PATIENT,
                                  number=f"{code.split('-')[-1]}{prefix}{n:02d}"))
        for number, name, kind in SPECIAL_ROOMS.get(code, []):
            rooms.append(Room(floor=floor, department=department, kind=kind, number=number, name=name))
        rooms.append(Room(floor=floor, department=department, kind=Room.Kind.OFFICE,
                          number=f"{code.replace('-', '')}-OFF", name=f"{department.name} office"))
    rooms = ctx.bulk_create(Room, rooms)
    by_department: dict[str, list[Room]] = {}
    for room in rooms:
        by_department.setdefault(room.department.code, []).append(room)
    ctx.data["buildings"] = by_code
    ctx.data["rooms"] = by_department
    ctx.log(f"facilities: {len(buildings)} buildings, {len(floors)} floors, {len(rooms)} rooms")


STEPS: list[Callable[[DemoContext], None]] = [build_registry, *bed_demo.STEPS, *equipment_demo.STEPS]


def flush() -> None:
    """Beds and equipment go before the rooms they stand in."""
    bed_demo.flush()
    equipment_demo.flush()
    for model in (Room, Floor, Building):
        model.objects.all().delete()
        model.history.model.objects.all().delete()
