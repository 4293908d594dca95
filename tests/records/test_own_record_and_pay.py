"""Pay is for those who run the department and the person; nobody edits their own record; leavers
lose access; a re-typed credential needs verifying again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from records import services
from tests.records.factories import CredentialFactory, CredentialTypeFactory, EmployeeFactory, make_token, make_user

pytestmark = pytest.mark.django_db


def test_a_scheduler_does_not_see_pay_through_the_api(client, hospital):
    client.force_login(hospital.users["scheduler_med"])
    rows = client.get("/api/v1/records/employees/").json()["results"]
    assert rows and all("hourly_rate" not in row for row in rows)


def test_a_head_sees_pay_of_their_staff(client, hospital):
    client.force_login(hospital.users["head_med"])
    rows = client.get("/api/v1/records/employees/").json()["results"]
    assert all("hourly_rate" in row for row in rows)


def test_pay_changes_stay_out_of_the_history_a_scheduler_sees(client, hospital):
    services.update_employee(actor=hospital.users["head_med"], employee=hospital.nurse, data={"hourly_rate": 61})
    url = reverse("records:employee-detail", args=[hospital.nurse.pk])
    client.force_login(hospital.users["head_med"])
    assert "hourly rate" in client.get(url).text.lower()  # the head sees the rate and its change
    client.force_login(hospital.users["scheduler_med"])
    assert "hourly rate" not in client.get(url).text.lower()


def test_a_head_cannot_edit_their_own_record(client, hospital):
    head = hospital.users["head_med"]
    own = EmployeeFactory(department=hospital.ward, user=head)
    with pytest.raises(PermissionDenied):
        services.update_employee(actor=head, employee=own, data={"hourly_rate": Decimal("999")})
    client.force_login(head)
    assert client.get(reverse("records:employee-edit", args=[own.pk])).status_code == 404


def test_retyping_a_credential_clears_its_verification(hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    services.verify_credential(actor=hospital.users["head_med"], credential=credential)
    other = CredentialTypeFactory(code="DEA", name="DEA registration")
    changed = services.save_credential(
        actor=hospital.users["head_med"], credential=credential, data={"credential_type": other},
    )
    assert changed.verified_at is None


def test_a_leaver_loses_their_login_and_tokens(client, hospital):
    staff = hospital.users["staff"]
    token, key = make_token(user=staff, scopes={"records": "read"})
    services.update_employee(
        actor=hospital.users["head_med"], employee=hospital.staff_employee,
        data={"status": "terminated", "termination_date": timezone.localdate()},
    )
    staff.refresh_from_db()
    token.refresh_from_db()
    assert not staff.is_active and token.revoked_at is not None
    response = client.post(reverse("login"), {"username": "staff", "password": "a-long-test-password"})
    assert "_auth_user_id" not in client.session and response.status_code == 200


def test_the_termination_job_closes_access_too(hospital):
    hospital.staff_employee.termination_date = timezone.localdate() - dt.timedelta(days=1)
    hospital.staff_employee.save()
    services.close_departed_employees()
    hospital.users["staff"].refresh_from_db()
    assert not hospital.users["staff"].is_active


def test_signing_in_again_while_signed_in_does_not_loop(client, hospital):
    client.force_login(make_user(username="someone"))
    response = client.get(reverse("login"), {"next": reverse("login")})
    assert response.status_code == 302 and response["Location"] != reverse("login")
