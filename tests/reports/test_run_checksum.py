"""A report file's SHA-256 is shown to those who manage the archive, and kept in the API; others
(board members, department heads) are not shown it."""

import hashlib

import pytest
from django.urls import reverse

from reports.models import ReportKind

from .factories import make_run

pytestmark = pytest.mark.django_db

DIGEST = hashlib.sha256(b"the report").hexdigest()


def with_digest(run):
    run.sha256 = DIGEST
    run.save(update_fields=["sha256"])
    return run


@pytest.fixture
def run(hospital):
    return with_digest(make_run(kind=ReportKind.BOARD))


@pytest.fixture
def medicine_run(hospital):
    return with_digest(make_run(kind=ReportKind.COMPLIANCE, department=hospital.medicine))


def detail(client, user, run):
    client.force_login(user)
    response = client.get(reverse("reports:run-detail", args=[run.pk]))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize("who", ["admin", "ops"])
def test_it_shows_the_checksum_to_administrators_and_operations_managers(client, hospital, run, who):
    page = detail(client, hospital.users[who], run)
    assert "SHA-256" in page
    assert DIGEST in page


def test_it_does_not_show_the_checksum_to_a_board_member(client, hospital, run):
    page = detail(client, hospital.users["board"], run)
    assert "SHA-256" not in page
    assert DIGEST not in page


def test_it_does_not_show_the_checksum_to_a_department_head(client, hospital, medicine_run):
    page = detail(client, hospital.users["head_med"], medicine_run)
    assert "Compliance report" in page
    assert "SHA-256" not in page
    assert DIGEST not in page


def test_the_api_still_gives_the_checksum(client, hospital, run):
    client.force_login(hospital.users["board"])
    response = client.get(f"/api/v1/reports/runs/{run.pk}/")
    assert response.status_code == 200
    assert response.json()["sha256"] == DIGEST
