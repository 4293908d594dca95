"""Dates have one sane range everywhere (forms, API, services), and an id is a whole number."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hospital_ops.validators import LATEST_DATE
from records import services as record_services
from records.forms import EmployeeForm
from records.models import Credential, Employee
from reports.models import ReportRun
from staffing.models import ShiftPreference, StaffingRequirement, TimeOff
from tests.records.factories import CredentialTypeFactory, SkillFactory
from tests.staffing.factories import ShiftTypeFactory

pytestmark = pytest.mark.django_db

ABSURD = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"]


@pytest.fixture
def api(hospital):
    client = APIClient()
    client.force_login(hospital.users["ops"])
    return client


def url(name, *args):
    return reverse(name, args=args)


def credential_payload(hospital, kind, **changes):
    today = timezone.localdate()
    return {
        "employee": hospital.nurse.pk,
        "credential_type": kind.pk,
        "number": "RN-123456",
        "issuer": "State Board of Nursing",
        "issued_on": str(today - dt.timedelta(days=30)),
        "expiry_date": str(today + dt.timedelta(days=700)),
        **changes,
    }


# Report periods


@pytest.mark.parametrize("period", ["0001-01", "9999-12", "1999-12", "0001-W01"])
def test_it_refuses_a_report_for_an_absurd_period(api, period):
    response = api.post(url("reports-api:run-list"), {"kind": "board", "period": period, "scope": "hospital"},
                        format="json")

    assert response.status_code == 400
    assert "period" in str(response.json())
    assert not ReportRun.objects.exists()


# Dates in people's records


@pytest.mark.parametrize("day", ABSURD)
def test_it_refuses_an_absurd_hire_or_termination_date(api, hospital, day):
    for field in ("hire_date", "termination_date"):
        response = api.patch(url("records-api:employee-detail", hospital.nurse.pk), {field: day}, format="json")

        assert response.status_code == 400, (field, day)
        assert field in response.json()
    assert Employee.objects.get(pk=hospital.nurse.pk).termination_date is None


@pytest.mark.parametrize("day", ABSURD)
def test_it_refuses_absurd_credential_dates(api, hospital, day):
    credential_type = CredentialTypeFactory()
    for field in ("issued_on", "expiry_date"):
        response = api.post(url("records-api:credential-list"),
                            credential_payload(hospital, credential_type, **{field: day}), format="json")

        assert response.status_code == 400, (field, day)
        assert field in response.json()
    assert not Credential.objects.exists()


def test_it_refuses_an_absurd_date_a_skill_was_acquired(api, hospital):
    response = api.post(url("records-api:employee-skill-list"),
                        {"employee": hospital.nurse.pk, "skill": SkillFactory().pk, "acquired_on": "0001-01-01"},
                        format="json")

    assert response.status_code == 400
    assert "acquired_on" in response.json()


def test_it_keeps_a_long_career_and_a_long_licence(api, hospital):
    credential_type = CredentialTypeFactory()
    response = api.post(url("records-api:credential-list"),
                        credential_payload(hospital, credential_type, issued_on="1975-06-01",
                                           expiry_date=str(LATEST_DATE)), format="json")

    assert response.status_code == 201, response.json()


def test_the_employee_form_refuses_an_absurd_hire_date(hospital):
    data = {
        "employee_number": hospital.nurse.employee_number, "first_name": "Nora", "last_name": "Nightingale",
        "department": hospital.ward.pk, "job_title": hospital.nurse.job_title_id, "employment_type": "full_time",
        "fte": "1.00", "hourly_rate": "42.50", "hire_date": "0001-01-01", "status": "active",
    }
    form = EmployeeForm(instance=hospital.nurse, data=data, user=hospital.users["ops"])

    assert not form.is_valid()
    assert "hire_date" in form.errors


def test_the_service_refuses_an_absurd_hire_date(hospital):
    with pytest.raises(ValidationError) as refused:
        record_services.update_employee(actor=hospital.users["ops"], employee=hospital.nurse,
                                        data={"hire_date": dt.date(1, 1, 1)})

    assert "hire_date" in refused.value.message_dict


# Dates the suite operates on


def test_it_refuses_an_absurd_requirement_date(api, hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)

    for day in ABSURD + ["1999-12-31"]:
        response = api.post(url("staffing-api:requirement-list"),
                            {"shift_type": shift_type.pk, "on_date": day, "required_count": 2}, format="json")

        assert response.status_code == 400, day
        assert "on_date" in response.json()
    assert not StaffingRequirement.objects.exists()


def test_it_refuses_an_absurd_preference_date(hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)
    client = APIClient()
    client.force_login(hospital.users["staff"])

    response = client.post(url("staffing-api:preference-list"),
                           {"date": "9999-12-31", "shift_type": shift_type.pk, "kind": "prefer"}, format="json")

    assert response.status_code == 400
    assert "date" in response.json()
    assert not ShiftPreference.objects.exists()


def test_it_refuses_absurd_time_off(hospital):
    client = APIClient()
    client.force_login(hospital.users["staff"])

    response = client.post(url("staffing-api:time-off-list"),
                           {"start_date": "9999-12-30", "end_date": "9999-12-31"}, format="json")

    assert response.status_code == 400
    assert not TimeOff.objects.exists()


def test_it_refuses_an_absurd_roster_period(api, hospital):
    ShiftTypeFactory(department=hospital.ward)

    response = api.post(url("staffing-api:schedule-list"),
                        {"department": hospital.ward.pk, "start_date": "0001-01-01", "end_date": "0001-01-28"},
                        format="json")

    assert response.status_code == 400


# Ids


@pytest.mark.parametrize("fraction", [0.5, "0.5"])
def test_it_refuses_a_fractional_id_instead_of_truncating_it(api, hospital, fraction):
    credential_type = CredentialTypeFactory()
    as_fraction = (lambda pk: pk + fraction) if isinstance(fraction, float) else (lambda pk: f"{pk}{fraction[1:]}")

    for field, pk in (("employee", hospital.nurse.pk), ("credential_type", credential_type.pk)):
        payload = credential_payload(hospital, credential_type, **{field: as_fraction(pk)})
        response = api.post(url("records-api:credential-list"), payload, format="json")

        assert response.status_code == 400, (field, payload[field])
        assert "whole number" in response.json()[field][0]
    assert not Credential.objects.exists()


def test_it_refuses_a_fractional_shift_type_in_a_staffing_row(api, hospital):
    shift_type = ShiftTypeFactory(department=hospital.ward)

    response = api.post(url("staffing-api:requirement-list"),
                        {"shift_type": shift_type.pk + 0.5, "weekday": 0, "required_count": 2}, format="json")

    assert response.status_code == 400
    assert "whole number" in response.json()["shift_type"][0]


def test_it_refuses_true_as_an_id(api, hospital):
    response = api.post(url("records-api:credential-list"),
                        credential_payload(hospital, CredentialTypeFactory(), employee=True), format="json")

    assert response.status_code == 400


def test_it_answers_an_id_no_database_holds_as_not_found(api, hospital):
    response = api.post(url("records-api:credential-list"),
                        credential_payload(hospital, CredentialTypeFactory(), employee=2**70), format="json")

    assert response.status_code == 400
    assert "does not exist" in response.json()["employee"][0]


def test_it_still_takes_a_whole_id_as_text(api, hospital):
    credential_type = CredentialTypeFactory()

    response = api.post(url("records-api:credential-list"),
                        credential_payload(hospital, credential_type, employee=str(hospital.nurse.pk)), format="json")

    assert response.status_code == 201, response.json()
