import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from records import access
from tests.records.factories import DepartmentFactory, EmployeeFactory, make_user


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in-process unless a test starts a real worker (tests/hospital_ops/test_celery.py)."""
    from hospital_ops.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_rate_limit(monkeypatch):
    """Each test counts report requests from zero, in a cache of its own: clearing the default cache
    would flush a shared Redis database (and the broker's queues with it)."""
    from reports.throttling import ReportRequestThrottle

    monkeypatch.setattr(ReportRequestThrottle, "cache", LocMemCache(f"reports-{uuid.uuid4()}", {}))


@pytest.fixture
def hospital(db):
    """Two departments (each with one unit), their heads, a scheduler, and hospital-wide roles."""
    medicine = DepartmentFactory(code="MED", name="Medicine")
    ward = DepartmentFactory(code="MED-4W", name="Ward 4 West", parent=medicine, kind="unit")
    surgery = DepartmentFactory(code="SURG", name="Surgery")
    theatre = DepartmentFactory(code="SURG-OR", name="Operating Theatres", parent=surgery, kind="unit")
    nurse = EmployeeFactory(department=ward, first_name="Nora", last_name="Nightingale")
    surgeon = EmployeeFactory(department=theatre, first_name="Sam", last_name="Sutures")
    staff_employee = EmployeeFactory(department=ward, first_name="Stacy", last_name="Staff")
    users = {
        "admin": make_user(username="admin", is_superuser=True, is_staff=True),
        "ops": make_user(username="ops", groups=[access.OPERATIONS_MANAGER]),
        "finance": make_user(username="finance", groups=[access.FINANCE_OFFICER]),
        "board": make_user(username="board", groups=[access.BOARD_MEMBER]),
        "head_med": make_user(username="head_med", head_of=[medicine]),
        "head_surg": make_user(username="head_surg", head_of=[surgery]),
        "scheduler_med": make_user(username="scheduler_med", scheduler_of=[ward]),
        "staff": make_user(username="staff", employee=staff_employee),
    }

    class Hospital:
        pass

    h = Hospital()
    h.medicine, h.ward, h.surgery, h.theatre = medicine, ward, surgery, theatre
    h.nurse, h.surgeon, h.staff_employee = nurse, surgeon, staff_employee
    h.users = users
    return h


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user(api, hospital):
    """An API client signed in as one of the hospital's users, by role name."""

    def sign_in(role):
        api.force_login(hospital.users[role])
        return api

    return sign_in
