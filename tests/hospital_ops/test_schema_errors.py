"""The OpenAPI document says what the API really answers: its errors, its nulls, its times."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.reports.factories import make_run

WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_the_errors_it_can_answer(document):
    for path, method, operation in operations(document):
        codes = set(operation["responses"])
        expected = {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method in WRITES:
            expected |= {"400", "409"}
        assert expected <= codes, (method, path, sorted(codes))
        # FHIR reads answer their own errors as OperationOutcomes; sign-in and rights errors stay JSON problems
        media = {"application/json", "application/fhir+json"} if "/fhir/" in path else {"application/json"}
        for code in expected:
            assert media & set(operation["responses"][code]["content"]), (method, path, code)


def test_a_throttled_operation_documents_429(document):
    assert "429" in document["paths"]["/api/v1/reports/runs/"]["post"]["responses"]
    assert "429" not in document["paths"]["/api/v1/reports/runs/"]["get"]["responses"]


def test_a_scheduled_report_run_may_have_no_requester(document):
    assert document["components"]["schemas"]["ReportRun"]["properties"]["requested_by"].get("nullable") is True


def test_times_of_day_are_described_as_strict_clients_read_them(document):
    start_time = document["components"]["schemas"]["ShiftType"]["properties"]["start_time"]

    assert "format" not in start_time  # RFC 3339 "time" would demand a zone offset
    assert start_time["pattern"].startswith("^")


@pytest.mark.django_db
def test_an_error_is_json_even_when_the_pdf_was_asked_for(hospital):
    run = make_run(status="queued")
    client = APIClient()
    client.force_login(hospital.users["ops"])

    missing = client.get(reverse("reports-api:run-download", args=[run.pk + 1000]), {"format": "pdf"})

    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/json"
    assert "detail" in missing.json()
