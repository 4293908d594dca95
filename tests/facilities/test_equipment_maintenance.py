"""Preventive maintenance generation and the work-order lifecycle, with the asset's status following."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from facilities import equipment_selectors as selectors
from facilities import equipment_services as services
from facilities.models import Asset, Criticality, MaintenancePlan, WorkOrder
from tests.races import race

from .equipment_fixtures import asset, kind, site


@pytest.fixture
def h(hospital):
    return site(hospital)


def monthly_plan(**extra):
    return MaintenancePlan.objects.create(
        name="Pump service", kind=extra.pop("kind_", kind()), tasks="Check occlusion alarm\nCalibrate",
        interval_days=30, starts_on=dt.date(2026, 1, 1), **extra,
    )


def test_it_opens_a_work_order_when_a_plan_falls_due(h):
    pump = asset(h.ward)
    monthly_plan()
    assert services.generate_preventive_work_orders(day=dt.date(2026, 1, 1)) == 1
    order = WorkOrder.objects.get()
    assert (order.asset, order.kind, order.due_on, order.status) == (pump, "preventive", dt.date(2026, 1, 1), "open")
    assert order.history.first().history_change_reason == "preventive maintenance due"


def test_it_opens_nothing_before_the_first_due_date(h):
    asset(h.ward)
    monthly_plan()
    assert services.generate_preventive_work_orders(day=dt.date(2025, 12, 31)) == 0
    assert not WorkOrder.objects.exists()


def test_it_opens_nothing_between_due_dates_and_never_twice_for_one_date(h):
    asset(h.ward)
    monthly_plan()
    services.generate_preventive_work_orders(day=dt.date(2026, 1, 1))
    assert services.generate_preventive_work_orders(day=dt.date(2026, 1, 15)) == 0
    assert services.generate_preventive_work_orders(day=dt.date(2026, 1, 1)) == 0
    assert WorkOrder.objects.count() == 1


def test_it_catches_up_after_missed_days(h):
    asset(h.ward)
    monthly_plan()
    # the job did not run on 31 January (the second due date); it runs on 3 February
    assert services.generate_preventive_work_orders(day=dt.date(2026, 2, 3)) == 1
    assert WorkOrder.objects.get().due_on == dt.date(2026, 1, 31)


def test_it_skips_retired_assets_and_inactive_plans(h):
    asset(h.ward, status=Asset.Status.RETIRED)
    monthly_plan()
    monthly_plan(kind_=kind("VENT", "Ventilator"), is_active=False)
    asset(h.ward, kind_=kind("VENT", "Ventilator"))
    assert services.generate_preventive_work_orders(day=dt.date(2026, 1, 1)) == 0


def test_a_plan_for_one_asset_opens_for_that_asset_only(h):
    pump = asset(h.ward)
    asset(h.ward)
    MaintenancePlan.objects.create(name="Pump A", asset=pump, tasks="Check", interval_days=90,
                                   starts_on=dt.date(2026, 1, 1))
    assert services.generate_preventive_work_orders(day=dt.date(2026, 1, 2)) == 1
    assert WorkOrder.objects.get().asset == pump


def test_the_database_refuses_a_second_order_for_one_plan_asset_and_date(h):
    pump = asset(h.ward)
    plan = monthly_plan()
    services.generate_preventive_work_orders(day=dt.date(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkOrder.objects.create(asset=pump, plan=plan, kind="preventive", due_on=dt.date(2026, 1, 1), title="x")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_open_one_work_order(hospital):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    site(hospital)
    for _ in range(5):
        asset(hospital.ward)
    monthly_plan()
    outcomes = race(*[(lambda: services.generate_preventive_work_orders(day=dt.date(2026, 1, 1)))] * 2)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sorted(outcomes) == [0, 5]
    assert WorkOrder.objects.count() == 5


# Work orders -----------------------------------------------------------------------------------------


def test_an_unusable_device_goes_out_of_service_when_reported(h):
    vent = asset(h.ward, criticality=Criticality.LIFE_SUPPORT)
    order = services.report_fault(actor=h.users["head_med"], asset=vent, title="Alarm fails",
                                  takes_out_of_service=True)
    vent.refresh_from_db()
    assert vent.status == Asset.Status.OUT_OF_SERVICE
    assert order.downtime_start is not None
    assert list(selectors.life_support_down(h.users["head_med"], h.medicine)) == [vent]
    assert not selectors.life_support_down(h.users["head_surg"]).exists()


def test_the_lifecycle_moves_the_asset_and_records_who_and_when(h):
    pump = asset(h.ward)
    tech, head = h.users["technician"], h.users["head_med"]
    order = services.report_fault(actor=h.users["scheduler_med"], asset=pump, title="Door latch")
    order = services.assign_work_order(actor=tech, work_order=order, assignee=tech)
    order = services.start_work_order(actor=tech, work_order=order)
    pump.refresh_from_db()
    assert pump.status == Asset.Status.UNDER_MAINTENANCE
    order = services.hold_work_order(actor=tech, work_order=order, reason="latch on order")
    pump.refresh_from_db()
    assert pump.status == Asset.Status.OUT_OF_SERVICE
    order = services.start_work_order(actor=tech, work_order=order)
    order = services.complete_work_order(actor=tech, work_order=order, labour_hours=Decimal("1.5"),
                                         parts_cost=Decimal("35.00"))
    pump.refresh_from_db()
    assert pump.status == Asset.Status.IN_SERVICE
    assert order.downtime_end >= order.downtime_start
    order = services.verify_work_order(actor=head, work_order=order)
    assert (order.status, order.verified_by, order.completed_by) == ("verified", head, tech)
    assert [h.history_change_reason for h in pump.history.order_by("history_date")][-4:] == [
        f"under maintenance: WO-{order.pk}", f"waiting: WO-{order.pk}", f"under maintenance: WO-{order.pk}",
        f"back in service: WO-{order.pk}"]


def test_it_refuses_to_skip_a_step(h):
    order = services.report_fault(actor=h.users["head_med"], asset=asset(h.ward), title="Noise")
    with pytest.raises(ValidationError):
        services.complete_work_order(actor=h.users["technician"], work_order=order, labour_hours=Decimal("1"))
    order.refresh_from_db()
    assert order.status == "open"


def test_whoever_completed_the_work_cannot_verify_it(h):
    ops = h.users["ops"]
    order = services.report_fault(actor=ops, asset=asset(h.ward), title="Noise")
    services.start_work_order(actor=ops, work_order=order)
    services.complete_work_order(actor=ops, work_order=order, labour_hours=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.verify_work_order(actor=ops, work_order=order)


def test_only_technicians_and_managers_work_on_orders(h):
    order = services.report_fault(actor=h.users["head_med"], asset=asset(h.ward), title="Noise")
    with pytest.raises(PermissionDenied):
        services.start_work_order(actor=h.users["head_med"], work_order=order)


def test_another_department_cannot_report_on_an_asset_it_cannot_see(h):
    with pytest.raises(PermissionDenied):
        services.report_fault(actor=h.users["head_surg"], asset=asset(h.ward), title="Noise")
    assert not WorkOrder.objects.exists()


def test_an_asset_stays_down_while_another_order_keeps_it_down(h):
    pump, tech = asset(h.ward), h.users["technician"]
    services.report_fault(actor=tech, asset=pump, title="Cracked housing", takes_out_of_service=True)
    second = services.report_fault(actor=tech, asset=pump, title="Label")
    services.start_work_order(actor=tech, work_order=second)
    services.complete_work_order(actor=tech, work_order=second, labour_hours=Decimal("0.5"))
    pump.refresh_from_db()
    assert pump.status != Asset.Status.IN_SERVICE


def test_pm_compliance_counts_work_done_within_a_week_of_due(h):
    asset(h.ward)
    asset(h.ward)
    monthly_plan()
    services.generate_preventive_work_orders(day=dt.date(2026, 1, 1))
    first = WorkOrder.objects.order_by("pk").first()
    tech = h.users["technician"]
    services.start_work_order(actor=tech, work_order=first)
    services.complete_work_order(actor=tech, work_order=first, labour_hours=Decimal("1"))
    WorkOrder.objects.filter(pk=first.pk).update(completed_at=dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC))
    result = selectors.pm_compliance(h.users["ops"], start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert result == {"due": 2, "on_time": 1, "pct": 50.0}
    overdue = list(selectors.overdue_maintenance(h.users["head_med"], on=dt.date(2026, 1, 20)))
    assert [(row["asset__department__code"], row["overdue"]) for row in overdue] == [("MED-4W", 1)]


def test_mean_time_to_repair_and_downtime_per_kind(h):
    pump, tech = asset(h.ward), h.users["technician"]
    order = services.report_fault(actor=tech, asset=pump, title="Alarm", takes_out_of_service=True)
    services.start_work_order(actor=tech, work_order=order)
    services.complete_work_order(actor=tech, work_order=order, labour_hours=Decimal("2"))
    start = dt.datetime(2026, 1, 5, 8, tzinfo=dt.UTC)
    WorkOrder.objects.filter(pk=order.pk).update(
        created_at=start, downtime_start=start, completed_at=start + dt.timedelta(hours=6),
        downtime_end=start + dt.timedelta(hours=5),
    )
    rows = selectors.repair_times(h.users["ops"], by="kind")
    assert rows == [{"id": pump.kind_id, "name": "Infusion pump", "orders": 1, "repairs": 1, "mttr_hours": 6.0,
                     "downtime_hours": 5.0}]


def test_the_daily_job_opens_due_maintenance_and_a_second_run_opens_nothing(h, monkeypatch):
    from facilities import tasks

    asset(h.ward)
    monthly_plan()
    monkeypatch.setattr(services, "timezone", type("Clock", (), {
        "localdate": staticmethod(lambda timezone=None: dt.date(2026, 1, 1))}))
    assert tasks.open_due_maintenance.delay().get() == 1
    assert tasks.open_due_maintenance.delay().get() == 0
