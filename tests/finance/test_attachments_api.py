"""Attachments over the API: upload with the page's checks (type, content, size), list, scoping."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Attachment
from finance.services import expenditure as expenditure_services
from finance.services.expenditure import raise_expenditure

from .conftest import expenditure_data


@pytest.fixture
def request_med(hospital, books):
    return raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "800"))


def _url(item):
    return f"/api/v1/finance/expenditures/{item.pk}/attachments/"


def _pdf(name="quote.pdf", body=b"%PDF-1.4 a quote"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_it_uploads_and_lists_a_file(as_user, request_med):
    client = as_user("head_med")
    response = client.post(_url(request_med), {"file": _pdf()}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "application/pdf" and response.json()["uploaded_by"] == "head_med"
    [listed] = client.get(_url(request_med)).json()
    assert listed["name"] == "quote.pdf" and listed["size"] == len(b"%PDF-1.4 a quote")
    assert listed["download"].endswith(f"/files/{listed['id']}/")


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("quote.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
    SimpleUploadedFile("quote.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
    SimpleUploadedFile("quote.pdf", b"", content_type="application/pdf"),
], ids=["bad-type", "content-not-matching", "empty"])
def test_it_refuses_a_bad_file_and_saves_nothing(as_user, request_med, upload):
    response = as_user("head_med").post(_url(request_med), {"file": upload}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not Attachment.objects.exists()


def test_it_refuses_a_file_too_large_and_saves_nothing(as_user, request_med):
    with mock.patch.object(expenditure_services, "MAX_ATTACHMENT_BYTES", 10):
        response = as_user("head_med").post(_url(request_med), {"file": _pdf()}, format="multipart")
    assert response.status_code == 400 and "5 MB" in str(response.json())
    assert not Attachment.objects.exists()


def test_it_asks_for_a_file(as_user, request_med):
    response = as_user("head_med").post(_url(request_med), {}, format="multipart")
    assert response.status_code == 400 and not Attachment.objects.exists()


def test_a_head_of_another_department_gets_404(as_user, request_med):
    client = as_user("head_surg")
    assert client.get(_url(request_med)).status_code == 404
    assert client.post(_url(request_med), {"file": _pdf()}, format="multipart").status_code == 404
    assert not Attachment.objects.exists()


def test_the_list_keeps_its_query_count(as_user, request_med, hospital):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user("finance")
    client.post(_url(request_med), {"file": _pdf()}, format="multipart")
    with CaptureQueriesContext(connection) as one:
        client.get(_url(request_med))
    for index in range(5):
        client.post(_url(request_med), {"file": _pdf(f"q{index}.pdf")}, format="multipart")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(_url(request_med)).json()) == 6
    assert len(many.captured_queries) == len(one.captured_queries) <= 12
