"""Credential state (valid, expiring within N days, expired, unverified): one definition in records,
the same answer from the model, the employee filter, the API, the home page and the reports."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from records.models import Credential, Employee
from reports.scope import Scope
from reports.selectors import credential_action_list, credential_figures
from tests.records.factories import CredentialFactory, EmployeeFactory

pytestmark = pytest.mark.django_db


def holding(hospital, *, expires_in: int | None, verified: bool = True) -> Credential:
    """A credential of a new Ward 4 West employee, expiring that many days from today."""
    today = timezone.localdate()
    return CredentialFactory(
        employee=EmployeeFactory(department=hospital.ward),
        issued_on=today - dt.timedelta(days=800),
        expiry_date=None if expires_in is None else today + dt.timedelta(days=expires_in),
        verified_by=hospital.users["admin"] if verified else None,
        verified_at=timezone.now() - dt.timedelta(days=3) if verified else None,
    )


@pytest.fixture
def spread(hospital):
    """One credential (and so one employee) in each corner of the definition."""
    return {
        "expired yesterday": holding(hospital, expires_in=-1),
        "expires today": holding(hospital, expires_in=0),
        "expires in 30 days": holding(hospital, expires_in=30),
        "expires in 45 days": holding(hospital, expires_in=45),
        "expires in 31 days, unverified": holding(hospital, expires_in=31, verified=False),
        "never expires": holding(hospital, expires_in=None),
        "never expires, unverified": holding(hospital, expires_in=None, verified=False),
    }


def test_it_names_each_state_by_the_default_thirty_days(spread):
    assert {name: c.state for name, c in spread.items()} == {
        "expired yesterday": "expired",
        "expires today": "expiring",
        "expires in 30 days": "expiring",
        "expires in 45 days": "valid",
        "expires in 31 days, unverified": "unverified",
        "never expires": "valid",
        "never expires, unverified": "unverified",
    }


def test_it_takes_the_expiring_window_from_the_setting(settings, spread):
    settings.CREDENTIAL_EXPIRING_DAYS = 60
    assert spread["expires in 45 days"].state == "expiring"
    assert spread["expires in 31 days, unverified"].state == "expiring"


def test_the_label_follows_the_setting(settings):
    settings.CREDENTIAL_EXPIRING_DAYS = 60
    assert str(Credential.State.EXPIRING.label) == "Expiring within 60 days"
    assert dict(Credential.State.choices)["expiring"] == "Expiring within 60 days"


def test_an_unverified_credential_can_be_expiring_too(spread):
    credential = spread["expires in 31 days, unverified"]
    today = timezone.localdate()
    assert credential.states_on(today) == {"unverified"}
    assert credential.states_on(today, within=60) == {"unverified", "expiring"}
    assert credential.state_on(today, within=60) == "expiring"


@pytest.mark.parametrize("days", [30, 60])
def test_the_employee_filter_agrees_with_each_credential(settings, spread, days):
    settings.CREDENTIAL_EXPIRING_DAYS = days
    today = timezone.localdate()
    for state in Credential.State.values:
        found = set(Employee.objects.with_credential_in_state(state).filter(credentials__isnull=False)
                    .values_list("pk", flat=True))
        expected = {c.employee_id for c in spread.values() if state in c.states_on(today)}
        assert found == expected, state


@pytest.mark.parametrize("days", [30, 60])
def test_the_employee_annotation_gives_the_worst_state(settings, spread, days):
    settings.CREDENTIAL_EXPIRING_DAYS = days
    employees = Employee.objects.with_credential_state().in_bulk([c.employee_id for c in spread.values()])
    assert {name: employees[c.employee_id].credential_state for name, c in spread.items()} == {
        name: c.state for name, c in spread.items()
    }


def test_the_employee_list_page_filters_with_the_setting(client, settings, hospital, spread):
    settings.CREDENTIAL_EXPIRING_DAYS = 60
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("records:employee-list"), {"credential_status": "expiring"})
    assert spread["expires in 45 days"].employee.last_name in response.text
    assert spread["expired yesterday"].employee.last_name not in response.text


def test_the_api_reports_the_state_with_the_setting(settings, hospital, spread):
    settings.CREDENTIAL_EXPIRING_DAYS = 60
    api = APIClient()
    api.force_login(hospital.users["ops"])
    employee = spread["expires in 45 days"].employee
    response = api.get(reverse("records-api:employee-detail", args=[employee.pk]))
    assert response.json()["credential_state"] == "expiring"


def test_the_home_page_counts_and_labels_with_the_setting(client, settings, hospital, spread):
    settings.CREDENTIAL_EXPIRING_DAYS = 60
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("reports:home"))
    figures = response.context["figures"]
    assert figures["expiring"] == 4  # today, in 30, in 31 (unverified) and in 45 days
    assert (figures["expired"], figures["unverified"]) == (1, 2)
    assert "Expiring within 60 days" in response.text
    assert "Expiring within 30 days" not in response.text


def test_the_compliance_report_bands_come_from_the_same_definition(spread):
    today = timezone.localdate()
    figures = credential_figures(Scope(None), today)
    listed = {band: {row["pk"] for row in credential_action_list(Scope(None), today, band)}
              for band in ("expired", "expiring_30", "expiring_60", "unverified")}
    assert (figures["expired"], figures["expiring_30"], figures["expiring_60"]) == (1, 2, 2)
    assert listed["expiring_30"] == {spread["expires today"].pk, spread["expires in 30 days"].pk}
    assert listed["expiring_60"] == {spread["expires in 45 days"].pk, spread["expires in 31 days, unverified"].pk}
    assert listed["unverified"] == {spread["expires in 31 days, unverified"].pk,
                                    spread["never expires, unverified"].pk}
