"""Every operation of the OpenAPI document, called with generated requests as an operations manager and
as a department head: no answer is a server error, and every answer is one the document describes
(status, content type, body)."""

import contextlib
import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from records.models import ApiToken
from reports.models import ReportRun
from staffing import services
from staffing.models import LabourRules, ShiftTypeLimit, TimeOff
from staffing.services import CellChange
from tests.records.factories import CredentialFactory, EmployeeSkillFactory, make_token
from tests.reports.factories import make_run
from tests.staffing.factories import RequirementFactory, hospital_rules

pytestmark = pytest.mark.django_db

EXAMPLES = 5  # per operation and role: enough to reach every branch of the parsers, quick enough for CI
# No 5xx, and every answer as documented. (Whether a schema-valid request is accepted is the business
# rules' call: a made-up employee may well be refused, with a documented 400.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@contextlib.contextmanager
def same_connection():
    """Serve requests on the test's own database connection (inside its transaction), as Django's test
    client does: the WSGI handler would otherwise close it at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def filled(hospital, roster):
    """A little of everything, so lists and details answer with real rows of every shape."""
    users = hospital.users
    CredentialFactory(employee=hospital.nurse)
    CredentialFactory(employee=hospital.surgeon, expiry_date=None)
    EmployeeSkillFactory(employee=hospital.nurse)
    RequirementFactory(department=hospital.ward, shift_type=roster.day, weekday=0, required_count=2)
    rules = hospital_rules(min_rest_hours=11, max_weekly_minutes=2880)
    ShiftTypeLimit.objects.create(rules=rules, shift_type=roster.night, max_shifts=8)
    LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.nurse, max_consecutive_nights=3)
    services.set_cells(actor=users["scheduler_med"], schedule=roster.schedule, changes=[
        CellChange(hospital.nurse, roster.days[0], roster.day),
        CellChange(hospital.staff_employee, roster.days[0], roster.night),
    ])
    services.submit_schedule(actor=users["scheduler_med"], schedule=roster.schedule, comment="Ready")
    TimeOff.objects.create(employee=hospital.staff_employee, start_date=timezone.localdate() + dt.timedelta(days=90),
                           end_date=timezone.localdate() + dt.timedelta(days=92), requested_by=users["staff"])
    make_run(period="2026-10")  # requested by no one: a scheduled run
    make_run(kind="compliance", period="2026-11", department=hospital.medicine, status=ReportRun.Status.QUEUED)
    return hospital


def failures_for(user) -> list[str]:
    _token, key = make_token(user=user, scopes={app: ApiToken.Access.WRITE for app in ApiToken.APPS})
    headers = {"Authorization": f"Token {key}"}
    app = get_wsgi_application()
    failures = []
    with same_connection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=headers)
        for result in schema.get_all_operations():
            operation = result.ok()

            @hypothesis_settings(
                max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def call(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                call()
            except (Exception, BaseExceptionGroup) as failure:  # collected: one run lists every operation that breaks
                failures.append(f"{operation.label}: {failure}")
    return failures


def test_every_operation_keeps_to_the_schema_for_an_operations_manager(filled):
    failures = failures_for(filled.users["ops"])

    assert not failures, "\n\n".join(failures)


def test_every_operation_keeps_to_the_schema_for_a_department_head(filled):
    failures = failures_for(filled.users["head_med"])

    assert not failures, "\n\n".join(failures)
