"""A real Celery worker against Redis builds a requested report end to end."""

import time

import pytest
from django.conf import settings

from hospital_ops.celery import app
from reports import services
from reports.models import HOSPITAL, ReportKind, ReportRun

from .conftest import MARCH
from .helpers import pdf_text

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker for a real worker"),
]


@pytest.mark.django_db(transaction=True)
def test_it_builds_a_report_in_a_worker(march):
    from celery.contrib.testing.worker import start_worker

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        run, _ = services.request_report(kind=ReportKind.BOARD, period=MARCH, scope=HOSPITAL,
                                         requested_by=march.users["ops"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.is_finished:
                break
            time.sleep(0.2)
    assert run.status == ReportRun.Status.SUCCEEDED, run.error
    assert "77.4 %" in pdf_text(run.file.read())
