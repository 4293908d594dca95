"""Demo data for equipment, maintenance, utilisation and inspections (steps added to facilities.demo).

Every department gets the equipment its work needs (pumps and monitors on the wards, ventilators in
critical care, scanners in imaging, analysers in the laboratories, generators in the plant rooms);
`large` makes about 5,000 assets. Preventive plans per kind, two years of work orders, a year of imaging
sessions (a quarter at `small`), inspection templates for the six areas with a year of inspections, and
findings and corrective actions in every state. Everything is bulk inserted (the sessions, 350,000 at `large`,
with COPY).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from hospital_ops.bulk import insert_rows
from hospital_ops.scoping import hospital_zone
from records.demo import DemoContext

from .models import (
    Area,
    Asset,
    Criticality,
    EquipmentKind,
    Finding,
    Inspection,
    InspectionPhoto,
    InspectionResult,
    InspectionSchedule,
    InspectionTemplate,
    MaintenancePlan,
    OperatingHours,
    Recommendation,
    Shift,
    TemplateItem,
    UsageSession,
    WorkOrder,
)

LS, HIGH, MED, LOW = Criticality.LIFE_SUPPORT, Criticality.HIGH, Criticality.MEDIUM, Criticality.LOW
# code, name, modality, criticality, makers and models, cost range, life (years), PM every n days
KINDS = [
    ("PUMP", "Infusion pump", "", HIGH, [("Baxter", "Sigma Spectrum"), ("BD", "Alaris 8100")], (2500, 4500), 8, 180),
    ("SYR", "Syringe driver", "", HIGH, [("Fresenius Kabi", "Agilia SP"), ("BD", "Alaris CC")], (1800, 3200), 8, 180),
    ("MON", "Patient monitor", "", HIGH, [("Philips", "IntelliVue MX450"), ("GE", "CARESCAPE B450")],
     (6000, 14000), 8, 365),
    ("VENT", "Ventilator", "", LS, [("Hamilton Medical", "C6"), ("Dräger", "Evita V800")], (28000, 45000), 10, 180),
    ("DEFIB", "Defibrillator", "", LS, [("ZOLL", "R Series"), ("Philips", "HeartStart MRx")], (9000, 16000), 8, 30),
    ("ANAES", "Anaesthesia workstation", "", LS, [("GE", "Aisys CS2"), ("Dräger", "Perseus A500")],
     (60000, 95000), 10, 180),
    ("BED", "Electric bed frame", "", LOW, [("Hill-Rom", "Progressa"), ("Stryker", "ProCuity")], (4000, 9000), 12, 365),
    ("SUCT", "Suction unit", "", MED, [("Medela", "Dominant Flex"), ("Laerdal", "LCSU 4")], (900, 2200), 8, 365),
    ("ECG", "ECG cart", "", MED, [("GE", "MAC 5500"), ("Philips", "PageWriter TC70")], (7000, 12000), 8, 365),
    ("CT", "CT scanner", "ct", HIGH, [("Siemens Healthineers", "SOMATOM go.Top"), ("GE", "Revolution EVO")],
     (900000, 1400000), 10, 90),
    ("MRI", "MRI scanner", "mri", HIGH, [("Siemens Healthineers", "MAGNETOM Sola"), ("Philips", "Ingenia 1.5T")],
     (1200000, 1800000), 12, 90),
    ("XR", "X-ray system", "xray", HIGH, [("Carestream", "DRX-Evolution"), ("Fujifilm", "FDR Visionary")],
     (150000, 260000), 12, 180),
    ("XRM", "Mobile X-ray", "xray", MED, [("GE", "AMX Navigate"), ("Siemens Healthineers", "Mobilett Elara Max")],
     (90000, 140000), 10, 180),
    ("US", "Ultrasound system", "us", MED, [("Philips", "EPIQ Elite"), ("GE", "LOGIQ E10")], (80000, 160000), 8, 180),
    ("ENDO", "Endoscopy stack", "endo", MED, [("Olympus", "EVIS X1"), ("Pentax", "Imagina")], (120000, 200000), 8, 180),
    ("ANLZ", "Chemistry analyser", "lab", HIGH, [("Roche", "cobas pro"), ("Abbott", "Alinity c")],
     (250000, 400000), 10, 90),
    ("GEN", "Emergency generator", "", LS, [("Caterpillar", "C175-16"), ("Cummins", "QSK60")],
     (400000, 700000), 25, 30),
    ("AHU", "Air handling unit", "", MED, [("Trane", "Performance Climate Changer"), ("Carrier", "39M")],
     (40000, 90000), 20, 90),
    ("STER", "Steam steriliser", "", HIGH, [("STERIS", "AMSCO 600"), ("Getinge", "HS66")], (90000, 160000), 15, 90),
    ("FRIDGE", "Medication refrigerator", "", MED, [("Helmer", "iPR256"), ("Thermo Fisher", "TSX505")],
     (3000, 7000), 10, 365),
]
# department code (or its prefix) → [(kind, count small)]
WARD = [("PUMP", 6), ("SYR", 3), ("MON", 3), ("BED", 6), ("SUCT", 1), ("ECG", 1), ("DEFIB", 1), ("FRIDGE", 1)]
EQUIPMENT = {
    "CC": [("VENT", 4), ("MON", 6), ("PUMP", 8), ("SYR", 6), ("DEFIB", 1), ("BED", 4)],
    "ED": [("MON", 4), ("PUMP", 4), ("DEFIB", 2), ("XRM", 1), ("US", 1), ("SUCT", 2), ("ECG", 1), ("BED", 4)],
    "SURG-OR": [("ANAES", 3), ("MON", 4), ("PUMP", 4), ("DEFIB", 1), ("XRM", 1), ("SUCT", 3), ("ENDO", 1)],
    "RAD-CT": [("CT", 2), ("MRI", 1)],
    "RAD-XR": [("XR", 3), ("US", 2), ("XRM", 1)],
    "LAB": [("ANLZ", 2), ("FRIDGE", 2)],
    "SUP-FAC": [("GEN", 2), ("AHU", 4)],
    "SUP-SSD": [("STER", 3)],
    "PHARM": [("FRIDGE", 3)],
}
HOURS_BY_MODALITY = {"ct": (dt.time(7), 16), "mri": (dt.time(7), 14), "xray": (dt.time(7), 14),
                     "us": (dt.time(8), 10), "endo": (dt.time(8), 9), "lab": (dt.time(0), 24)}
EXAM_MINUTES = {"ct": (15, 30), "mri": (30, 60), "xray": (10, 20), "us": (15, 30), "endo": (20, 45), "lab": (20, 45)}
EXAMS = {"ct": ["CT head", "CT chest", "CT abdomen/pelvis", "CT angiogram"],
         "mri": ["MRI brain", "MRI spine", "MRI knee"],
         "xray": ["Chest X-ray", "Extremity X-ray", "Abdominal X-ray"],
         "us": ["Abdominal US", "Obstetric US", "DVT scan"],
         "endo": ["Gastroscopy", "Colonoscopy"], "lab": ["Chemistry panel", "Troponin", "Lipid panel"]}
LARGE_ASSETS = 5000


def _equipment_for(code: str, department) -> list[tuple[str, int]]:
    if code in EQUIPMENT:
        return EQUIPMENT[code]
    if code.split("-")[0] in EQUIPMENT and code.split("-")[0] in ("CC", "ED", "LAB"):
        return EQUIPMENT[code.split("-")[0]]
    if department.kind == department.Kind.UNIT:
        return WARD
    return [("MON", 1), ("FRIDGE", 1)] if code.startswith(("MED", "SURG", "WC", "MH")) else []


def build_equipment(ctx: DemoContext) -> None:
    rng = ctx.rng
    kinds = ctx.bulk_create(EquipmentKind, [EquipmentKind(code=c, name=n, modality=m, default_criticality=cr)
                                            for c, n, m, cr, *_ in KINDS])
    kind_by_code = {k.code: k for k in kinds}
    spec = {row[0]: row for row in KINDS}
    rooms = ctx.data.get("rooms", {})
    wanted: list[tuple[str, str, int]] = []
    for code, department in ctx.data["departments"].items():
        for kind_code, count in _equipment_for(code, department):
            wanted.append((code, kind_code, count))
    if ctx.large:  # scale the counts up to about LARGE_ASSETS, diagnostic equipment by a smaller factor
        total = sum(count for *_, count in wanted)
        factor = LARGE_ASSETS / max(total, 1)
        wanted = [(c, k, max(1, round(n * (min(factor, 1.5) if spec[k][2] else factor)))) for c, k, n in wanted]
    assets: list[Asset] = []
    serials: set[tuple[str, str]] = set()
    for code, kind_code, count in wanted:
        department = ctx.data["departments"][code]
        _, _, modality, criticality, makers, (low, high), life, _pm = spec[kind_code]
        choices = rooms.get(code, [])
        preferred = [r for r in choices if (r.kind == "imaging") == bool(modality in ("ct", "mri", "xray", "us"))]
        for _ in range(count):
            maker, model = rng.choice(makers)
            serial = f"{maker[:2].upper()}{rng.randint(10**7, 10**8 - 1)}"
            while (maker, serial) in serials:
                serial = f"{maker[:2].upper()}{rng.randint(10**7, 10**8 - 1)}"
            serials.add((maker, serial))
            acquired = ctx.today - dt.timedelta(days=rng.randint(60, int(life * 365 * 1.1)))
            status = Asset.Status.IN_SERVICE
            if (ctx.today - acquired).days > life * 365 and rng.random() < 0.5:
                status = Asset.Status.RETIRED
            assets.append(Asset(
                tag=f"{kind_code}-{len(assets) + 1:05d}", kind=kind_by_code[kind_code], manufacturer=maker,
                model_name=model, serial_number=serial, department=department,
                room=rng.choice(preferred or choices) if choices else None, criticality=criticality,
                acquired_on=acquired, acquisition_cost=Decimal(rng.randint(low, high)).quantize(Decimal("1")),
                expected_life_years=life, status=status,
            ))
    assets = ctx.bulk_create(Asset, assets)
    hours = []
    for asset in assets:
        if asset.kind.modality:
            opens, length = HOURS_BY_MODALITY[asset.kind.modality]
            every_day = asset.kind.modality in ("ct", "lab") or asset.department.code.startswith("ED")
            days = range(7) if every_day else range(5)
            hours += [OperatingHours(asset=asset, weekday=d, opens=opens, hours=Decimal(length)) for d in days]
    OperatingHours.objects.bulk_create(hours, batch_size=2000)
    ctx.data["assets"] = assets
    ctx.data["equipment_kinds"] = kind_by_code
    ctx.log(f"equipment: {len(kinds)} kinds, {len(assets)} assets, operating hours for "
            f"{len({h.asset_id for h in hours})} diagnostic assets")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hospital_zone())


def build_maintenance(ctx: DemoContext) -> None:
    """Plans per kind, two years of preventive work orders (mostly on time, some late, recent ones open
    or overdue) and corrective repairs; a few life-support devices down today."""
    rng, today = ctx.rng, ctx.today
    users = ctx.data["users"]
    tech, head = users["technician"], users["head"]
    kinds = ctx.data["equipment_kinds"]
    start = today - dt.timedelta(days=730)
    plans = ctx.bulk_create(MaintenancePlan, [
        MaintenancePlan(name=f"{name} preventive maintenance", kind=kinds[code], interval_days=pm,
                        tasks="Visual inspection\nElectrical safety test\nFunctional check against the "
                              "manufacturer's checklist\nUpdate the service label",
                        starts_on=start + dt.timedelta(days=rng.randint(0, min(pm, 60) - 1)))
        for code, name, _m, _c, _mk, _cost, _life, pm in KINDS
    ])
    plan_by_kind = {plan.kind_id: plan for plan in plans}
    orders: list[WorkOrder] = []
    live = [a for a in ctx.data["assets"] if a.status != Asset.Status.RETIRED]
    for asset in live:
        plan = plan_by_kind[asset.kind_id]
        due = max(plan.starts_on, asset.acquired_on)
        due = plan.due_on_or_before(due) or plan.starts_on
        while due <= today:
            age = (today - due).days
            created = _at(due, 6)
            order = WorkOrder(asset=asset, plan=plan, kind=WorkOrder.Kind.PREVENTIVE, due_on=due, created_at=created,
                              title=f"Preventive maintenance: {plan.name}", description=plan.tasks,
                              priority=WorkOrder.Priority.NORMAL)
            roll = rng.random()
            if age > 21 or (age > 3 and roll < 0.7):
                late = rng.choice([0, 0, 1, 2, 3, 5]) if roll < 0.88 else rng.randint(8, 20)
                done = _at(min(due + dt.timedelta(days=late), today), rng.randint(8, 15), rng.randint(0, 59))
                order.status = WorkOrder.Status.VERIFIED if age > 10 else WorkOrder.Status.COMPLETED
                order.assigned_to = order.completed_by = tech
                order.assigned_at = order.started_at = done - dt.timedelta(hours=1)
                order.completed_at = done
                order.labour_hours = Decimal(rng.choice(["0.50", "0.75", "1.00", "1.50", "2.00"]))
                if order.status == WorkOrder.Status.VERIFIED:
                    order.verified_by, order.verified_at = head, done + dt.timedelta(days=1)
            elif age > 7 and roll < 0.85:
                order.status, order.assigned_to, order.assigned_at = WorkOrder.Status.ASSIGNED, tech, created
            orders.append(order)
            due += dt.timedelta(days=plan.interval_days)
    # corrective repairs: about one every two years per asset, more for busy kinds
    faults = ["Alarm does not sound", "Screen flickers", "Battery will not hold charge", "Occlusion error",
              "Wheel lock broken", "Calibration drift", "Error code on start-up", "Cracked housing", "Noisy fan"]
    for asset in live:
        for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]):
            reported = _at(start + dt.timedelta(days=rng.randint(0, 729)), rng.randint(0, 23), rng.randint(0, 59))
            if reported.date() > today:
                continue
            repair = dt.timedelta(hours=rng.choice([2, 4, 6, 20, 30, 52, 96]))
            down = asset.criticality in (LS, HIGH) or rng.random() < 0.3
            order = WorkOrder(asset=asset, kind=WorkOrder.Kind.CORRECTIVE, title=rng.choice(faults),
                              priority=WorkOrder.Priority.URGENT if asset.criticality == LS else rng.choice(
                                  [WorkOrder.Priority.HIGH, WorkOrder.Priority.NORMAL]),
                              takes_out_of_service=down, reported_by=head, created_at=reported,
                              downtime_start=reported if down else None)
            finished = reported + repair
            if finished < _at(today, 0):
                order.status = WorkOrder.Status.VERIFIED
                order.assigned_to = order.completed_by = tech
                order.assigned_at, order.started_at = reported + repair / 6, reported + repair / 3
                order.completed_at = finished
                order.verified_by, order.verified_at = head, finished + dt.timedelta(hours=20)
                order.downtime_end = finished if down else None
                order.labour_hours = Decimal(min(40, max(1, repair.total_seconds() // 7200)))
                order.parts_cost = Decimal(rng.choice([0, 0, 45, 120, 380, 1250]))
            orders.append(order)
    # a few life-support devices out of service right now
    life_support = [a for a in live if a.criticality == LS]
    down_now = rng.sample(life_support, min(len(life_support), 4 if ctx.large else 2))
    for asset in down_now:
        reported = _at(today - dt.timedelta(days=rng.randint(0, 3)), rng.randint(0, 11))
        orders.append(WorkOrder(asset=asset, kind=WorkOrder.Kind.CORRECTIVE, title="Fails self-test",
                                priority=WorkOrder.Priority.URGENT, takes_out_of_service=True, reported_by=head,
                                created_at=reported, downtime_start=reported,
                                status=WorkOrder.Status.ON_HOLD, assigned_to=tech, assigned_at=reported,
                                started_at=reported, notes="On hold: replacement board on order"))
        asset.status = Asset.Status.OUT_OF_SERVICE
    Asset.objects.filter(pk__in=[a.pk for a in down_now]).update(status=Asset.Status.OUT_OF_SERVICE)
    orders = ctx.bulk_create(WorkOrder, orders, history=not ctx.large and ctx.history)
    ctx.log(f"maintenance: {len(plans)} plans, {len(orders)} work orders"
            + (" (no history rows at large scale)" if ctx.large else ""))


def build_usage(ctx: DemoContext) -> None:
    """Imaging and laboratory sessions: a year (a quarter at small scale), each asset at its own pace so some
    run under 40 % and some over 85 %."""
    rng, today = ctx.rng, ctx.today
    days = 365 if ctx.large else 90
    diagnostic = [a for a in ctx.data["assets"] if a.kind.modality and a.status != Asset.Status.RETIRED]
    sessions: list[tuple] = []
    for asset in diagnostic:
        modality = asset.kind.modality
        opens, length = HOURS_BY_MODALITY[modality]
        low, high = EXAM_MINUTES[modality]
        target = rng.choice([0.3, 0.55, 0.65, 0.75, 0.9])
        weekend = asset.kind.modality in ("ct", "lab") or asset.department.code.startswith("ED")
        for back in range(days, 0, -1):
            day = today - dt.timedelta(days=back)
            if day.weekday() >= 5 and not weekend:
                continue
            moment = _at(day, opens.hour).astimezone(dt.UTC)  # step in absolute time across clock changes
            end = min(moment + dt.timedelta(hours=length), _at(day + dt.timedelta(days=1), opens.hour))
            while True:
                duration = dt.timedelta(minutes=rng.randint(low, high))
                gap = duration * (1 - target) / target * rng.uniform(0.5, 1.5)
                moment += gap
                if moment + duration > end:
                    break
                sessions.append((asset.pk, f"RIS-{asset.pk}-{len(sessions)}", moment, moment + duration,
                                 rng.choice(EXAMS[modality])))
                moment += duration
    insert_rows(UsageSession, ["asset_id", "sender_id", "starts_at", "ends_at", "exam_type"], sessions)
    ctx.log(f"usage: {len(sessions)} sessions on {len(diagnostic)} diagnostic assets over {days} days")


ITEMS = {
    Area.FIRE_LIFE_SAFETY: [
        ("Exit routes clear and exit signs lit", "NFPA 101 7.1.10 / 7.10", "Corridors free of carts; signs lit."),
        ("Fire doors close and latch", "NFPA 101 8.3.3; Joint Commission LS.02.01.10", "No wedges or hold-opens."),
        ("Extinguishers inspected this month", "NFPA 10 7.2", "Tag initialled, gauge in the green."),
    ],
    Area.INFECTION_CONTROL: [
        ("Hand hygiene stations stocked", "Joint Commission IC.02.01.01", "Gel and soap at every station."),
        ("Clean and dirty utility rooms separated", "Joint Commission IC.02.02.01",
         "No clean supplies in dirty utility."),
        ("Sharps containers below the fill line", "OSHA 1910.1030", "Three-quarters full at most."),
    ],
    Area.EMERGENCY_READINESS: [
        ("Crash cart checked and sealed", "Joint Commission PC.02.01.19", "Daily log signed, seal number recorded."),
        ("Emergency power outlets identified", "NFPA 99 6.3.2.2.6", "Red outlets labelled and working."),
        ("Staff know the evacuation route", "Joint Commission EM.12.02.01", "Ask two staff members."),
    ],
    Area.ACCESSIBILITY: [
        ("Accessible route 36 inches wide", "ADA 403.5.1", "Measure at the narrowest point."),
        ("Accessible restroom grab bars secure", "ADA 604.5", "No movement when pulled."),
    ],
    Area.HAZARDOUS_MATERIALS: [
        ("Safety data sheets available", "OSHA 1910.1200(g)", "Binder or terminal reachable by staff."),
        ("Chemicals stored and labelled", "Joint Commission EC.02.02.01", "No unlabelled containers."),
    ],
    Area.SECURITY: [
        ("Medication rooms locked", "Joint Commission MM.03.01.01", "Door closed, badge reader working."),
        ("Staff wear identification", "Joint Commission EC.02.01.01", "Badges visible above the waist."),
    ],
}


def build_inspections(ctx: DemoContext) -> None:
    """Templates for the six areas, schedules (monthly rounds per unit, quarterly drills per shift, monthly
    generator tests), a year of inspections with their results, and findings in every state."""
    rng, today = ctx.rng, ctx.today
    users = ctx.data["users"]
    inspector, ops, head = users["inspector"], users["ops"], users["head"]
    rounds = InspectionTemplate(name="Environment-of-care rounds", purpose=InspectionTemplate.Purpose.ROUNDS,
                                description="Monthly walk-through of a unit across all six areas.")
    drill = InspectionTemplate(name="Fire drill", purpose=InspectionTemplate.Purpose.FIRE_DRILL,
                               description="Quarterly fire drill on each shift (Joint Commission EC.02.03.03).")
    generator = InspectionTemplate(name="Generator load test", purpose=InspectionTemplate.Purpose.GENERATOR_TEST,
                                   description="Monthly 30-minute load test (NFPA 110 8.4.2).")
    templates = ctx.bulk_create(InspectionTemplate, [rounds, drill, generator])
    rounds, drill, generator = templates
    items = []
    for area, rows in ITEMS.items():
        items += [TemplateItem(template=rounds, area=area, position=n, text=t, regulation_reference=r, guidance=g)
                  for n, (t, r, g) in enumerate(rows)]
    items += [
        TemplateItem(template=drill, area=Area.FIRE_LIFE_SAFETY, position=0, text="Alarm activated and heard",
                     regulation_reference="Joint Commission EC.02.03.03"),
        TemplateItem(template=drill, area=Area.FIRE_LIFE_SAFETY, position=1, text="Doors closed within two minutes",
                     regulation_reference="NFPA 101 18.7.1"),
        TemplateItem(template=drill, area=Area.EMERGENCY_READINESS, position=2, text="Staff followed RACE",
                     regulation_reference="Joint Commission EC.02.03.03 EP 5"),
        TemplateItem(template=generator, area=Area.EMERGENCY_READINESS, position=0,
                     text="Transfer within ten seconds", regulation_reference="NFPA 110 4.1.1"),
        TemplateItem(template=generator, area=Area.EMERGENCY_READINESS, position=1,
                     text="Ran 30 minutes at 30 % load or more", regulation_reference="NFPA 110 8.4.2"),
    ]
    items = ctx.bulk_create(TemplateItem, items)
    items_of: dict[int, list[TemplateItem]] = {}
    for item in items:
        items_of.setdefault(item.template_id, []).append(item)
    buildings = ctx.data["buildings"]
    units = [d for d in ctx.data["departments"].values() if d.kind == d.Kind.UNIT]
    rooms = ctx.data.get("rooms", {})
    building_of = {code: rs[0].floor.building for code, rs in rooms.items() if rs}
    first = (today - dt.timedelta(days=365)).replace(day=1)
    schedules = [InspectionSchedule(template=rounds, department=u, every_months=1, starts_on=first) for u in units
                 if u.code in building_of]
    schedules += [InspectionSchedule(template=drill, building=b, every_months=3, per_shift=True,
                                     starts_on=dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1))
                  for b in buildings.values()]
    schedules += [InspectionSchedule(template=generator, building=buildings["SVC"], every_months=1, starts_on=first)]
    schedules = ctx.bulk_create(InspectionSchedule, schedules)
    inspections: list[Inspection] = []
    from .inspection_services import _add_months

    for schedule in schedules:
        n = 0
        while (due := _add_months(schedule.starts_on, n * schedule.every_months)) <= today:
            for shift in (Shift.values if schedule.per_shift else [""]):
                age = (today - due).days
                insp = Inspection(template=schedule.template, schedule=schedule, due_on=due, shift=shift,
                                  building=schedule.building or building_of[schedule.department.code],
                                  department=schedule.department)
                if age > 5 or (age > 0 and rng.random() < 0.5):
                    done = _at(due + dt.timedelta(days=rng.randint(0, min(age, 4))), rng.randint(8, 16))
                    insp.status, insp.inspector = Inspection.Status.COMPLETED, inspector
                    insp.started_at, insp.completed_at = done - dt.timedelta(minutes=50), done
                elif age >= 0 and rng.random() < 0.3:
                    insp.status, insp.inspector, insp.started_at = Inspection.Status.IN_PROGRESS, inspector, _at(due, 9)
                inspections.append(insp)
            n += 1
    inspections = ctx.bulk_create(Inspection, inspections, history=ctx.history and not ctx.large)
    results: list[InspectionResult] = []
    for insp in inspections:
        if insp.status == Inspection.Status.SCHEDULED:
            continue
        for item in items_of[insp.template_id]:
            if insp.status == Inspection.Status.IN_PROGRESS and rng.random() < 0.5:
                outcome = ""
            else:
                roll = rng.random()
                outcome = "fail" if roll < 0.06 else "na" if roll < 0.1 else "pass"
            results.append(InspectionResult(inspection=insp, item=item, outcome=outcome,
                                            note="Seen on the round; photo taken" if outcome == "fail" else ""))
    results = ctx.bulk_create(InspectionResult, results, history=ctx.history and not ctx.large)
    by_pk = {i.pk: i for i in inspections}
    item_by_pk = {i.pk: i for i in items}
    findings: list[Finding] = []
    for result in results:
        insp = by_pk[result.inspection_id]
        if result.outcome != "fail" or insp.status != Inspection.Status.COMPLETED:
            continue
        item = item_by_pk[result.item_id]
        severity = rng.choices(list(Finding.Severity.values), weights=[1, 4, 5])[0]
        found = insp.completed_at
        due = found.date() + dt.timedelta(days={"critical": 2, "major": 14, "minor": 30}[severity])
        finding = Finding(inspection=insp, result=result, area=item.area, severity=severity, building=insp.building,
                          department=insp.department, regulation_reference=item.regulation_reference,
                          location=insp.department.name if insp.department else insp.building.name,
                          description=f"{item.text}: not met on the {insp.template.name.lower()}",
                          created_at=found, owner=head if insp.department else ops, due_on=due,
                          action=f"Correct: {item.text.lower()}")
        age = (today - found.date()).days
        roll = rng.random()
        if age > 45 or roll < 0.5:
            finding.status, finding.done_by = Finding.Status.CLOSED, finding.owner
            finding.done_at = found + dt.timedelta(days=3)
            finding.done_note = "Corrected and re-checked"
            finding.verified_by, finding.verified_at = inspector, found + dt.timedelta(days=5)
        elif roll < 0.7:
            finding.status, finding.done_by = Finding.Status.ACTION_DONE, finding.owner
            finding.done_at = found + dt.timedelta(days=2)
            finding.done_note = "Corrected; awaiting the inspector's check"
        findings.append(finding)
    findings = ctx.bulk_create(Finding, findings)
    recommendations = []
    for finding in findings[:: max(1, len(findings) // 6)][:6]:
        status = rng.choice(list(Recommendation.Status.values))
        recommendations.append(Recommendation(
            title=rng.choice(["Magnetic hold-open devices on corridor fire doors", "Widen the accessible route",
                              "Badge readers on medication rooms", "Second transfer switch for the generator",
                              "Additional hand hygiene stations"]),
            justification=f"Repeated finding: {finding.description}", finding=finding, building=finding.building,
            department=finding.department, estimated_cost=Decimal(rng.randint(20, 400) * 250),
            status=status, proposed_by=inspector, decided_by=ops if status != "proposed" else None,
            decided_at=finding.created_at + dt.timedelta(days=10) if status != "proposed" else None))
    ctx.bulk_create(Recommendation, recommendations)
    ctx.log(f"inspections: {len(templates)} templates, {len(schedules)} schedules, {len(inspections)} inspections, "
            f"{len(results)} results, {len(findings)} findings, {len(recommendations)} recommendations")


STEPS: list[Callable[[DemoContext], None]] = [build_equipment, build_maintenance, build_usage, build_inspections]


def flush() -> None:
    """Plain DELETEs in dependency order: deleting work orders and assets one by one would write a history row
    each (tens of thousands at `large`)."""
    from django.db import connection

    for model in (Recommendation, Finding, InspectionPhoto, InspectionResult, Inspection, InspectionSchedule,
                  TemplateItem, InspectionTemplate, UsageSession, WorkOrder, MaintenancePlan, OperatingHours, Asset,
                  EquipmentKind):
        model.objects.all()._raw_delete(connection.alias)
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.all()._raw_delete(connection.alias)
