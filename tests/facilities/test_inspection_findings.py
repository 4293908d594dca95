"""Inspection → finding → corrective action → verification, with the four-eyes rule; photos; schedules
and escalation; who sees which inspections."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from facilities import inspection_selectors as selectors
from facilities import inspection_services as services
from facilities.models import Finding, Inspection, InspectionPhoto, InspectionSchedule, InspectionTemplate

from .equipment_fixtures import site
from .inspection_fixtures import inspection, template


@pytest.fixture
def h(hospital):
    return site(hospital)


def conduct(h, insp, fail_first=True, inspector="inspector"):
    user = h.users[inspector]
    services.start_inspection(actor=user, inspection=insp)
    for result in insp.results.select_related("item").order_by("pk"):
        area = result.item.area
        outcome = {"fire_life_safety": "fail" if fail_first else "pass", "infection_control": "na"}.get(area, "pass")
        services.record_result(actor=user, result=result, outcome=outcome, note="Fire door wedged open")
    return services.complete_inspection(actor=user, inspection=insp)


def png(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_failure_opens_a_finding_owned_by_the_units_head(h):
    [finding] = conduct(h, inspection(h))
    assert finding.owner == h.users["head_med"]
    assert finding.regulation_reference == "NFPA 101 7.2.1"
    assert finding.status == Finding.Status.OPEN
    assert Inspection.objects.get().status == Inspection.Status.COMPLETED


def test_it_refuses_to_complete_with_unanswered_items(h):
    insp = inspection(h)
    services.start_inspection(actor=h.users["inspector"], inspection=insp)
    with pytest.raises(ValidationError):
        services.complete_inspection(actor=h.users["inspector"], inspection=insp)
    assert not Finding.objects.exists()


def test_a_failure_needs_a_note(h):
    insp = inspection(h)
    services.start_inspection(actor=h.users["inspector"], inspection=insp)
    with pytest.raises(ValidationError):
        services.record_result(actor=h.users["inspector"], result=insp.results.first(), outcome="fail", note=" ")


def test_the_owner_does_the_action_and_someone_else_verifies_it(h):
    [finding] = conduct(h, inspection(h))
    head = h.users["head_med"]
    finding = services.complete_action(actor=head, finding=finding, note="Door closer replaced")
    with pytest.raises(PermissionDenied):
        services.verify_finding(actor=head, finding=finding)
    finding = services.verify_finding(actor=h.users["inspector"], finding=finding)
    assert (finding.status, finding.done_by, finding.verified_by) == ("closed", head, h.users["inspector"])
    assert [r.history_change_reason for r in finding.history.order_by("history_date")] == [
        "opened", "action done", "verified and closed"]


def test_a_finding_cannot_close_before_its_action_is_done(h):
    [finding] = conduct(h, inspection(h))
    with pytest.raises(ValidationError):
        services.verify_finding(actor=h.users["inspector"], finding=finding)


def test_the_database_refuses_to_close_a_finding_verified_by_its_doer(h):
    [finding] = conduct(h, inspection(h))
    head = h.users["head_med"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status="closed", done_by=head, verified_by=head)
    with pytest.raises(IntegrityError), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status="closed")


def test_another_departments_head_cannot_do_the_action(h):
    [finding] = conduct(h, inspection(h))
    with pytest.raises(PermissionDenied):
        services.complete_action(actor=h.users["head_surg"], finding=finding, note="done")


def test_only_inspectors_conduct(h):
    with pytest.raises(PermissionDenied):
        services.start_inspection(actor=h.users["head_med"], inspection=inspection(h))


def test_an_action_can_open_a_work_order(h):
    from .equipment_fixtures import asset

    [finding] = conduct(h, inspection(h))
    pump = asset(h.ward)
    finding = services.plan_action(actor=h.users["inspector"], finding=finding, action="Fix the door closer",
                                   owner=h.users["head_med"], due_on=dt.date(2026, 3, 9), open_work_order_for=pump)
    assert finding.work_order.asset == pump


def test_a_recommendation_goes_proposed_approved_done(h):
    [finding] = conduct(h, inspection(h))
    rec = services.propose_recommendation(actor=h.users["inspector"], title="Magnetic door holders",
                                          justification="Doors are wedged open", estimated_cost="12500.00",
                                          finding=finding)
    with pytest.raises(PermissionDenied):
        services.decide_recommendation(actor=h.users["head_med"], recommendation=rec, to="approved")
    with pytest.raises(ValidationError):
        services.decide_recommendation(actor=h.users["ops"], recommendation=rec, to="done")
    rec = services.decide_recommendation(actor=h.users["ops"], recommendation=rec, to="approved")
    rec = services.decide_recommendation(actor=h.users["ops"], recommendation=rec, to="done")
    assert rec.status == "done" and rec.department == h.ward


# Photos -------------------------------------------------------------------------------------------------


def started(h):
    insp = inspection(h)
    services.start_inspection(actor=h.users["inspector"], inspection=insp)
    return insp.results.first()


def test_it_stores_a_real_photo(h, settings):
    result = started(h)
    photo = services.add_photo(actor=h.users["inspector"], result=result,
                               upload=SimpleUploadedFile("door.png", png(), content_type="image/png"))
    assert photo.content_type == "image/png"
    assert photo.image.storage.exists(photo.image.name)


def test_it_refuses_a_file_that_only_claims_to_be_a_photo(h, settings):
    result = started(h)
    fake = SimpleUploadedFile("door.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    with pytest.raises(ValidationError):
        services.add_photo(actor=h.users["inspector"], result=result, upload=fake)
    assert not InspectionPhoto.objects.exists()
    assert not (settings.MEDIA_ROOT / "inspections").exists()


def test_it_refuses_a_photo_too_large(h, settings, monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 100)
    result = started(h)
    with pytest.raises(ValidationError):
        services.add_photo(actor=h.users["inspector"], result=result,
                           upload=SimpleUploadedFile("big.png", png((64, 64)), content_type="image/png"))
    assert not InspectionPhoto.objects.exists()
    assert not (settings.MEDIA_ROOT / "inspections").exists()


# Schedules, escalation, measures -----------------------------------------------------------------------------


def test_schedules_open_inspections_once_per_due_date_and_shift(h):
    drill = template(InspectionTemplate.Purpose.FIRE_DRILL, "Fire drill")
    InspectionSchedule.objects.create(template=drill, department=h.ward, every_months=3, per_shift=True,
                                      starts_on=dt.date(2026, 1, 1))
    assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 10)) == 3
    assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 11)) == 0
    assert services.generate_scheduled_inspections(day=dt.date(2026, 4, 2)) == 3
    assert Inspection.objects.filter(due_on=dt.date(2026, 4, 1)).count() == 3


def test_overdue_actions_escalate_by_email_once(h, django_capture_on_commit_callbacks):
    [finding] = conduct(h, inspection(h))
    late = finding.due_on + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_overdue_actions(day=late) == 1
    assert services.escalate_overdue_actions(day=late) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [h.users["head_med"].email]


def test_compliance_per_area_and_the_readiness_panel(h):
    conduct(h, inspection(h))
    rows = {row["key"]: row for row in selectors.compliance(h.users["ops"], start=dt.date(2026, 3, 1),
                                                             end=dt.date(2026, 3, 31))}
    assert rows["fire_life_safety"]["pct"] == 0.0
    assert rows["security"]["pct"] == 100.0
    assert "infection_control" not in rows or rows["infection_control"]["pct"] is None
    by_department = selectors.compliance(h.users["ops"], start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31),
                                         by="department")
    assert by_department == [{"key": "MED-4W", "label": "MED-4W", "passed": 4, "failed": 1, "pct": 80.0}]
    panel = selectors.readiness(h.users["ops"], on=dt.date(2099, 6, 1))
    assert panel["overdue_life_safety"] == 1


@pytest.mark.parametrize(("role", "sees"), [("inspector", 2), ("ops", 2), ("head_med", 1), ("head_surg", 1),
                                            ("board", 0), ("staff", 0), ("technician", 0)])
def test_each_role_sees_the_inspections_of_its_departments(h, role, sees):
    rounds = template()
    inspection(h, h.ward, template_=rounds)
    inspection(h, h.theatre, template_=rounds)
    assert selectors.inspection_list(h.users[role]).count() == sees
