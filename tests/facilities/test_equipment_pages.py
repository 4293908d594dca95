"""Equipment pages: the register, its exports and query counts, an asset, its label, work orders,
utilisation and the usage import; another department's rows are 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from facilities import equipment_services as services
from facilities.models import Asset, UsageSession, WorkOrder

from .equipment_fixtures import asset, kind, site


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


@pytest.mark.parametrize(("role", "sees"), [("ops", 2), ("technician", 2), ("head_med", 1), ("scheduler_med", 1),
                                            ("head_surg", 1)])
def test_the_register_shows_each_role_its_departments(client, h, role, sees):
    asset(h.ward, tag="WARD-1")
    asset(h.theatre, tag="OR-1")
    response = signed_in(client, h, role).get(reverse("facilities:asset-list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == sees


@pytest.mark.parametrize("role", ["board", "staff", "inspector"])
def test_the_register_is_not_there_for_roles_without_equipment(client, h, role):
    assert signed_in(client, h, role).get(reverse("facilities:asset-list")).status_code == 404


def test_another_departments_asset_and_work_order_are_404(client, h):
    theirs = asset(h.theatre)
    order = services.report_fault(actor=h.users["ops"], asset=theirs, title="Noise")
    client = signed_in(client, h, "head_med")
    for url in (reverse("facilities:asset-detail", args=[theirs.pk]),
                reverse("facilities:asset-label", args=[theirs.pk]),
                reverse("facilities:work-order-detail", args=[order.pk])):
        assert client.get(url).status_code == 404
    response = client.post(reverse("facilities:asset-report-fault", args=[theirs.pk]),
                           {"title": "x", "priority": "low"})
    assert response.status_code == 404
    assert WorkOrder.objects.count() == 1


def test_it_searches_and_filters_the_register(client, h):
    asset(h.ward, tag="PUMP-77", serial_number="ZX-1")
    asset(h.ward, tag="VENT-1", kind_=kind("VENT", "Ventilator"))
    client = signed_in(client, h, "ops")
    assert client.get(reverse("facilities:asset-list"), {"q": "zx-1"}).context["page"].paginator.count == 1
    response = client.get(reverse("facilities:asset-list"), {"kind": kind("VENT", "Ventilator").pk})
    assert [a.tag for a in response.context["assets"]] == ["VENT-1"]


def test_the_register_costs_the_same_queries_for_one_asset_and_for_fifty(client, h, django_assert_max_num_queries):
    client = signed_in(client, h, "head_med")
    asset(h.ward)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("facilities:asset-list"))
    for _ in range(49):
        asset(h.ward)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(client.get(reverse("facilities:asset-list")).context["assets"]) == 50


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_exports_the_filtered_register(client, h, fmt):
    asset(h.ward, tag="=HYPERLINK")
    response = signed_in(client, h, "ops").get(reverse("facilities:asset-export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="equipment.{fmt}"'
    if fmt == "csv":
        assert "'=HYPERLINK" in response.content.decode()


def test_the_label_carries_a_qr_code_that_opens_the_asset(client, h):
    pump = asset(h.ward)
    response = signed_in(client, h, "head_med").get(reverse("facilities:asset-label", args=[pump.pk]))
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert response.context["url"].endswith(pump.get_absolute_url())


def test_anyone_who_sees_an_asset_reports_a_fault_from_its_page(client, h):
    pump = asset(h.ward)
    response = signed_in(client, h, "scheduler_med").post(
        reverse("facilities:asset-report-fault", args=[pump.pk]),
        {"title": "Screen cracked", "priority": "high", "takes_out_of_service": "on"},
    )
    order = WorkOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    pump.refresh_from_db()
    assert pump.status == Asset.Status.OUT_OF_SERVICE


def test_it_refuses_a_fault_report_with_a_title_too_long(client, h):
    pump = asset(h.ward)
    response = signed_in(client, h, "head_med").post(
        reverse("facilities:asset-report-fault", args=[pump.pk]), {"title": "x" * 201, "priority": "high"})
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()


def test_a_technician_moves_a_work_order_through_its_steps(client, h):
    pump = asset(h.ward)
    order = services.report_fault(actor=h.users["head_med"], asset=pump, title="Alarm")
    client = signed_in(client, h, "technician")
    for step, data in (("assign", {}), ("start", {}), ("complete", {"labour_hours": "1.5", "parts_cost": "0"})):
        assert client.post(reverse("facilities:work-order-step", args=[order.pk, step]), data).status_code == 302
    order.refresh_from_db()
    assert order.status == "completed" and order.labour_hours == Decimal("1.5")
    client = signed_in(client, h, "head_med")
    client.post(reverse("facilities:work-order-step", args=[order.pk, "verify"]))
    order.refresh_from_db()
    assert order.status == "verified"


def test_a_work_order_list_costs_the_same_for_one_and_many(client, h, django_assert_max_num_queries):
    client = signed_in(client, h, "technician")
    services.report_fault(actor=h.users["ops"], asset=asset(h.ward), title="A")
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("facilities:work-order-list"))
    for n in range(20):
        services.report_fault(actor=h.users["ops"], asset=asset(h.ward), title=f"B{n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("facilities:work-order-list")).status_code == 200


def test_the_usage_import_is_idempotent_by_sender_id(client, h):
    ct = asset(h.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))
    body = "sender_id,asset_tag,start,end,exam_type\nRIS-1,CT-1,2026-03-02T08:00,2026-03-02T08:30,CT head\n"
    client = signed_in(client, h, "head_med")
    for _ in range(2):
        upload = SimpleUploadedFile("sessions.csv", body.encode(), content_type="text/csv")
        assert client.post(reverse("facilities:usage-import"), {"file": upload}).status_code == 302
    assert UsageSession.objects.filter(asset=ct).count() == 1


def test_the_usage_import_refuses_overlaps_and_saves_nothing(client, h):
    asset(h.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))
    body = ("sender_id,asset_tag,start,end,exam_type\n"
            "RIS-1,CT-1,2026-03-02T08:00,2026-03-02T08:30,CT head\n"
            "RIS-2,CT-1,2026-03-02T08:20,2026-03-02T08:40,CT chest\n")
    upload = SimpleUploadedFile("sessions.csv", body.encode(), content_type="text/csv")
    signed_in(client, h, "head_med").post(reverse("facilities:usage-import"), {"file": upload})
    assert not UsageSession.objects.exists()


def test_the_utilisation_page_draws_its_chart(client, h):
    ct = asset(h.ward, tag="CT-1", kind_=kind("CT", "CT scanner", modality="ct"))
    week = {d: (dt.time(8), Decimal("10")) for d in range(7)}
    services.set_operating_hours(actor=h.users["ops"], asset=ct, week=week)
    response = signed_in(client, h, "head_med").get(
        reverse("facilities:utilisation"), {"start": "2026-03-01", "end": "2026-03-07", "by": "asset"})
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert response.context["rows"][0].total.available == 70


def test_a_life_support_device_out_of_service_is_flagged_on_its_departments_home(client, h):
    from facilities.models import Criticality

    vent = asset(h.ward, tag="VENT-9", kind_=kind("VENT", "Ventilator"), criticality=Criticality.LIFE_SUPPORT)
    services.report_fault(actor=h.users["head_med"], asset=vent, title="Fails self-test", takes_out_of_service=True)
    assert b"VENT-9" in signed_in(client, h, "head_med").get(reverse("reports:home")).content
    assert b"VENT-9" not in signed_in(client, h, "head_surg").get(reverse("reports:home")).content
