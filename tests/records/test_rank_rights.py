"""Nobody changes the record of someone whose role is above theirs, nor their own: not through the
services, the pages or the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from records import access, services
from records.models import Employee
from tests.records.factories import EmployeeFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ops_employee(hospital):
    """The operations manager's own employee record sits in a ward a head runs."""
    return EmployeeFactory(department=hospital.ward, user=hospital.users["ops"], hourly_rate=Decimal("80"))


@pytest.fixture
def admin_employee(hospital):
    return EmployeeFactory(department=hospital.ward, user=hospital.users["admin"], hourly_rate=Decimal("90"))


def test_it_ranks_roles(hospital):
    ranks = {name: access.rank(user) for name, user in hospital.users.items()}
    assert ranks["admin"] > ranks["ops"] > ranks["head_med"] > ranks["scheduler_med"] > ranks["staff"]
    assert ranks["finance"] == ranks["ops"]


@pytest.mark.parametrize("change", [
    {"status": Employee.Status.TERMINATED},
    {"hourly_rate": Decimal("1.00")},
    {"fte": Decimal("0.10")},
])
def test_a_head_cannot_change_an_operations_manager_record(hospital, ops_employee, change):
    with pytest.raises(PermissionDenied):
        services.update_employee(actor=hospital.users["head_med"], employee=ops_employee, data=change)
    ops_employee.refresh_from_db()
    assert ops_employee.status == Employee.Status.ACTIVE and ops_employee.hourly_rate == Decimal("80")
    assert hospital.users["ops"].is_active


def test_a_head_cannot_terminate_an_administrator_through_the_api(client, hospital, admin_employee):
    client.force_login(hospital.users["head_med"])
    response = client.patch(
        f"/api/v1/records/employees/{admin_employee.pk}/",
        {"status": "terminated", "termination_date": str(timezone.localdate())},
        content_type="application/json",
    )
    assert response.status_code in (403, 404)
    admin_employee.refresh_from_db()
    hospital.users["admin"].refresh_from_db()
    assert admin_employee.status == Employee.Status.ACTIVE
    assert hospital.users["admin"].is_active


def test_a_head_gets_no_edit_page_for_a_manager_record(client, hospital, ops_employee):
    client.force_login(hospital.users["head_med"])
    assert client.get(reverse("records:employee-edit", args=[ops_employee.pk])).status_code == 404
    page = client.get(reverse("records:employee-detail", args=[ops_employee.pk]))
    assert page.status_code == 200
    assert reverse("records:employee-edit", args=[ops_employee.pk]) not in page.text


def test_a_manager_changes_a_head_record_but_not_their_own(hospital, ops_employee):
    head_employee = EmployeeFactory(department=hospital.ward, user=hospital.users["head_med"])
    services.update_employee(actor=hospital.users["ops"], employee=head_employee, data={"fte": Decimal("0.80")})
    head_employee.refresh_from_db()
    assert head_employee.fte == Decimal("0.80")
    with pytest.raises(PermissionDenied):
        services.update_employee(actor=hospital.users["ops"], employee=ops_employee, data={"hourly_rate": 200})


def test_an_administrator_changes_a_manager_record(hospital, ops_employee):
    services.update_employee(actor=hospital.users["admin"], employee=ops_employee, data={"fte": Decimal("0.90")})
    ops_employee.refresh_from_db()
    assert ops_employee.fte == Decimal("0.90")


def test_a_head_changes_a_fellow_head_below_them(hospital):
    ward_head = make_user(username="head_ward", head_of=[hospital.ward])
    record = EmployeeFactory(department=hospital.ward, user=ward_head)
    services.update_employee(actor=hospital.users["head_med"], employee=record, data={"fte": Decimal("0.50")})
    record.refresh_from_db()
    assert record.fte == Decimal("0.50")


def test_the_queryset_form_agrees_with_the_single_check(hospital, ops_employee, admin_employee):
    head = hospital.users["head_med"]
    changeable = set(access.changeable_people(head, Employee.objects.all()).values_list("pk", flat=True))
    for employee in Employee.objects.all():
        assert (employee.pk in changeable) == access.can_change_person(head, employee.user), employee
