"""Nobody sets their own labour-rules contract, nor that of someone above them."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from staffing.models import LabourRules
from tests.records.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_record(hospital):
    return EmployeeFactory(department=hospital.ward, user=hospital.users["head_med"])


def test_a_head_cannot_create_their_own_contract_through_the_api(hospital, own_record):
    api = APIClient()
    api.force_login(hospital.users["head_med"])
    response = api.post(
        "/api/v1/staffing/labour-rules/",
        {"scope": "employee", "employee": own_record.pk, "max_weekly_minutes": 600},
        format="json",
    )
    assert response.status_code == 403
    assert not LabourRules.objects.filter(employee=own_record).exists()


def test_a_head_cannot_open_their_own_contract_page(client, hospital, own_record):
    client.force_login(hospital.users["head_med"])
    assert client.get(reverse("staffing:contract-rules", args=[own_record.pk])).status_code == 404
    response = client.post(reverse("staffing:contract-rules", args=[own_record.pk]), {"max_weekly_minutes": "600"})
    assert response.status_code == 404
    assert not LabourRules.objects.filter(employee=own_record).exists()


def test_a_head_is_not_offered_their_own_contract_nor_a_manager(client, hospital, own_record):
    manager_record = EmployeeFactory(department=hospital.ward, user=hospital.users["ops"])
    client.force_login(hospital.users["head_med"])
    offered = client.get(reverse("staffing:contract-rules-create")).context["form"].fields["employee"].queryset
    assert own_record not in offered and manager_record not in offered
    assert hospital.nurse in offered
    response = client.post(reverse("staffing:contract-rules-create"), {"employee": manager_record.employee_number})
    assert response.status_code == 400


def test_a_head_sees_the_hospital_default_and_contracts_of_their_staff(hospital):
    default = LabourRules.objects.create(scope=LabourRules.Scope.HOSPITAL, min_rest_hours=11)
    contract = LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.nurse)
    other = LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.surgeon)
    visible = set(LabourRules.objects.visible_to(hospital.users["head_med"]))
    assert {default, contract} <= visible
    assert other not in visible
