"""Inspection pages: conducting on the page, photos through the form, findings and the dashboard; another
department's inspection or finding is 404; the board sees none of it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from facilities import inspection_services as services
from facilities.models import Finding, InspectionPhoto, InspectionResult

from .equipment_fixtures import site
from .inspection_fixtures import inspection, template


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


def jpeg():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def test_an_inspector_conducts_an_inspection_on_the_page(client, h):
    insp = inspection(h)
    client = signed_in(client, h, "inspector")
    client.post(reverse("facilities:inspection-start", args=[insp.pk]))
    for result in insp.results.select_related("item"):
        data = {"outcome": "fail" if result.item.area == "security" else "pass", "note": "Badge reader broken"}
        if result.item.area == "security":
            data["photo"] = SimpleUploadedFile("reader.jpg", jpeg(), content_type="image/jpeg")
        response = client.post(reverse("facilities:inspection-answer", args=[insp.pk, result.pk]), data)
        assert response.status_code == 302
    client.post(reverse("facilities:inspection-complete", args=[insp.pk]))
    finding = Finding.objects.get()
    assert finding.area == "security"
    response = client.get(reverse("facilities:finding-detail", args=[finding.pk]))
    photo = response.context["photos"][0]
    assert client.get(reverse("facilities:inspection-photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"


def test_a_wrong_photo_saves_neither_the_answer_nor_the_file(client, h, settings):
    insp = inspection(h)
    services.start_inspection(actor=h.users["inspector"], inspection=insp)
    result = insp.results.first()
    response = signed_in(client, h, "inspector").post(
        reverse("facilities:inspection-answer", args=[insp.pk, result.pk]),
        {"outcome": "fail", "note": "x", "photo": SimpleUploadedFile("x.png", b"<script>", content_type="image/png")},
    )
    assert response.status_code == 400
    assert InspectionResult.objects.get(pk=result.pk).outcome == ""
    assert not InspectionPhoto.objects.exists()
    assert not (settings.MEDIA_ROOT / "inspections").exists()


def test_another_departments_inspection_finding_and_photo_are_404(client, h):
    theirs = inspection(h, h.theatre)
    services.start_inspection(actor=h.users["inspector"], inspection=theirs)
    for result in theirs.results.all():
        services.record_result(actor=h.users["inspector"], result=result, outcome="fail", note="x")
    [finding, *_] = services.complete_inspection(actor=h.users["inspector"], inspection=theirs)
    client = signed_in(client, h, "head_med")
    assert client.get(reverse("facilities:inspection-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("facilities:finding-detail", args=[finding.pk])).status_code == 404
    assert client.post(reverse("facilities:finding-step", args=[finding.pk, "done"]),
                       {"note": "done"}).status_code == 404


@pytest.mark.parametrize("role", ["board", "staff", "technician"])
def test_roles_without_inspections_get_404(client, h, role):
    client = signed_in(client, h, role)
    for name in ("facilities:inspection-list", "facilities:inspection-dashboard", "facilities:finding-list"):
        assert client.get(reverse(name)).status_code == 404


def test_the_inspection_list_costs_the_same_for_one_and_many(client, h, django_assert_max_num_queries):
    rounds = template()
    inspection(h, template_=rounds)
    client = signed_in(client, h, "inspector")
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("facilities:inspection-list"))
    for _ in range(20):
        inspection(h, template_=rounds)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("facilities:inspection-list")).status_code == 200


def test_the_dashboard_shows_readiness(client, h):
    response = signed_in(client, h, "ops").get(reverse("facilities:inspection-dashboard"))
    assert response.status_code == 200
    assert [row["shift"] for row in response.context["readiness"]["drills"]] == ["Day", "Evening", "Night"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_findings_and_inspections_export(client, h, fmt):
    inspection(h)
    client = signed_in(client, h, "inspector")
    assert client.get(reverse("facilities:inspection-export", args=[fmt])).status_code == 200
    assert client.get(reverse("facilities:finding-export", args=[fmt])).status_code == 200
