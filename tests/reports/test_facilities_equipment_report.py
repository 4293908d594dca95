"""The monthly facilities and equipment report against a March 2026 fixture computed by hand: utilisation by
modality with flagged assets, the work-order backlog by priority and age, downtime and repair times,
preventive maintenance and the modifications with their costs; a head's report holds their department only."""

import datetime as dt
from decimal import Decimal

import pytest

from facilities import equipment_services
from facilities.models import MaintenancePlan, Recommendation, WorkOrder
from hospital_ops.scoping import hospital_zone
from reports import services
from reports.models import ReportKind
from reports.periods import Period
from reports.scope import Scope
from reports.sections import equipment
from tests.facilities.equipment_fixtures import asset, kind, site
from tests.reports.helpers import pdf_text

MARCH = Period.parse("2026-03")
MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)


def at(day, hour=8, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=hospital_zone())


@pytest.fixture
def plant(hospital):
    """Medicine's ward has CT-1 (open 08:00 for 16 h every day: 496 h in March, less 2 h down inside the
    window on Tuesday 3rd = 494 h; used 4.5 h = 0.9 %) and a pump; Surgery's theatre has MRI-1 (8 h a day,
    248 h, never used). Work orders: an urgent fault on the pump reported 30 March (open), a normal one
    reported 15 February and completed 2 April (open at the month's end), a low one reported 10 March and
    completed 20 March (240 h down and to repair), a high one on MRI-1 reported 1 March (open); the pump's
    preventive work due 5 March done 8 March (on time), due 20 March still open (both created 20 February).
    Modifications: Medicine proposes 1,000 and has 2,500 approved and 500 done; Surgery proposes 9,000."""
    h = site(hospital)
    ops = h.users["ops"]
    h.ct = asset(h.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))
    h.mri = asset(h.theatre, tag="MRI-1", kind_=kind("MRI", "MRI scanner", modality="mri"))
    h.pump = asset(h.ward, tag="PUMP-1")
    for scanner, hours in ((h.ct, "16"), (h.mri, "8")):
        equipment_services.set_operating_hours(actor=ops, asset=scanner,
                                               week={d: (dt.time(8), Decimal(hours)) for d in range(7)})
    for sender, start, end in (("A", at(MONDAY, 9), at(MONDAY, 10)), ("B", at(MONDAY, 23), at(TUESDAY, 1)),
                               ("C", at(TUESDAY, 10), at(TUESDAY, 11, 30))):
        equipment_services.record_usage_sessions(actor=ops, rows=[
            {"sender_id": sender, "asset": h.ct, "starts_at": start, "ends_at": end, "exam_type": "CT"}])
    WorkOrder.objects.create(asset=h.ct, title="Tube fault", reported_by=ops, created_at=at(dt.date(2026, 4, 1)),
                             downtime_start=at(TUESDAY, 6), downtime_end=at(TUESDAY, 10))
    orders = [
        (h.pump, WorkOrder.Priority.URGENT, dt.date(2026, 3, 30), None),
        (h.pump, WorkOrder.Priority.NORMAL, dt.date(2026, 2, 15), dt.date(2026, 4, 2)),
        (h.pump, WorkOrder.Priority.LOW, dt.date(2026, 3, 10), dt.date(2026, 3, 20)),
        (h.mri, WorkOrder.Priority.HIGH, dt.date(2026, 3, 1), None),
    ]
    for target, priority, reported, completed in orders:
        WorkOrder.objects.create(
            asset=target, title=f"{priority} fault", priority=priority, reported_by=ops, created_at=at(reported),
            status=WorkOrder.Status.COMPLETED if completed else WorkOrder.Status.OPEN,
            completed_at=at(completed) if completed else None,
            downtime_start=at(reported) if completed else None, downtime_end=at(completed) if completed else None,
        )
    plan = MaintenancePlan.objects.create(name="Pump service", asset=h.pump, tasks="Check", interval_days=15,
                                          starts_on=dt.date(2026, 3, 5))
    for due, done in ((dt.date(2026, 3, 5), dt.date(2026, 3, 8)), (dt.date(2026, 3, 20), None)):
        WorkOrder.objects.create(
            asset=h.pump, plan=plan, kind=WorkOrder.Kind.PREVENTIVE, due_on=due, title="Pump service",
            reported_by=ops, created_at=at(dt.date(2026, 2, 20)),
            status=WorkOrder.Status.COMPLETED if done else WorkOrder.Status.OPEN,
            completed_at=at(done, 15) if done else None,
        )
    for title, department, cost, status in (("Widen the door", h.ward, 1000, "proposed"),
                                            ("Badge readers", h.ward, 2500, "approved"),
                                            ("Handrails", h.ward, 500, "done"),
                                            ("Theatre lights", h.theatre, 9000, "proposed")):
        Recommendation.objects.create(title=title, justification="Readiness", estimated_cost=Decimal(cost),
                                      department=department, status=status, proposed_by=ops)
    return h


def test_utilisation_by_modality_matches_the_hand_computed_figures(plant):
    data = equipment.build_utilisation(Scope(None), MARCH)
    rows = {row["label"]: row for row in data["rows"]}
    assert (rows["Computed tomography"]["used"], rows["Computed tomography"]["available"]) == (4.5, 494.0)
    assert rows["Computed tomography"]["pct"] == 0.9
    assert (rows["Magnetic resonance"]["available"], rows["Magnetic resonance"]["pct"]) == (248.0, 0.0)
    assert data["overall"] == round(100 * 4.5 / 742, 1)
    assert {row["label"] for row in data["flagged"]} == {"CT-1 · CT scanner", "MRI-1 · MRI scanner"}


def test_the_backlog_counts_work_open_at_the_months_end_by_priority_and_age(plant):
    data = equipment.build_maintenance(Scope(None), MARCH)
    backlog = {row["priority"]: row["ages"] for row in data["backlog"]}
    assert backlog == {"urgent": [1, 0, 0, 0], "high": [0, 1, 0, 0], "normal": [0, 0, 2, 0], "low": [0, 0, 0, 0]}
    assert data["backlog_total"] == 4


def test_downtime_repair_time_and_pm_compliance(plant):
    data = equipment.build_maintenance(Scope(None), MARCH)
    assert (data["repairs"], data["mttr"], data["downtime"]) == (1, 240.0, 240.0)
    assert [row["name"] for row in data["longest"]] == ["PUMP-1"]
    assert (data["pm"]["due"], data["pm"]["on_time"], data["pm"]["pct"]) == (2, 1, 50.0)


def test_modifications_show_proposed_and_approved_costs(plant):
    data = equipment.build_modifications(Scope(None), MARCH)
    assert (data["proposed_cost"], data["approved_cost"]) == (Decimal("10000"), Decimal("2500"))
    assert [rec.title for rec in data["listed"]] == ["Theatre lights", "Badge readers", "Widen the door"]


def test_a_heads_scope_holds_their_department_only(plant):
    scope = Scope(plant.medicine)
    utilisation = equipment.build_utilisation(scope, MARCH)
    assert [row["label"] for row in utilisation["rows"]] == ["Computed tomography"]
    maintenance = equipment.build_maintenance(scope, MARCH)
    assert maintenance["backlog_total"] == 3
    modifications = equipment.build_modifications(scope, MARCH)
    assert (modifications["proposed_cost"], modifications["approved_cost"]) == (Decimal("1000"), Decimal("2500"))
    assert "Theatre lights" not in [rec.title for rec in modifications["listed"]]


def test_the_pdf_has_its_sections_and_figures(plant):
    content, pages = services.render_report(kind=ReportKind.FACILITIES, scope=Scope(None), period=MARCH)
    text = pdf_text(content)
    assert pages >= 5
    for heading in ("Monthly facilities and equipment report", "Diagnostic equipment utilisation",
                    "Downtime, work orders and maintenance", "Building and equipment modifications"):
        assert heading in text
    assert "MRI-1" in text and "Theatre lights" in text and "50.0 %" in text


def test_a_heads_pdf_names_nothing_of_another_department(plant):
    content, _ = services.render_report(kind=ReportKind.FACILITIES, scope=Scope(plant.medicine), period=MARCH)
    text = pdf_text(content)
    assert "CT-1" in text and "Badge readers" in text
    assert "MRI-1" not in text and "Theatre lights" not in text and "Magnetic resonance" not in text
