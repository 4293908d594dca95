"""A real Celery worker against Redis: a task enqueued on commit runs and its effect is visible."""

import datetime as dt
import time

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hospital_ops.celery import app
from records.models import Employee
from records.tasks import close_departed_employees
from tests.records.factories import EmployeeFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set: no broker for a real worker"),
]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_on_commit_runs_in_a_worker():
    from celery.contrib.testing.worker import start_worker

    employee = EmployeeFactory(termination_date=timezone.localdate() - dt.timedelta(days=2))
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        with transaction.atomic():
            close_departed_employees.delay_on_commit()
            time.sleep(0.5)  # not sent before commit
            assert Employee.objects.get(pk=employee.pk).status == Employee.Status.ACTIVE
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if Employee.objects.get(pk=employee.pk).status == Employee.Status.TERMINATED:
                break
            time.sleep(0.2)
    assert Employee.objects.get(pk=employee.pk).status == Employee.Status.TERMINATED
