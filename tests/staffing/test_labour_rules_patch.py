"""Changing labour rules through the API: rights first (403 or 404 whatever the body), then a clear 400
for an incomplete shift-limit row, never a 500."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from staffing.models import LabourRules
from tests.staffing.factories import hospital_rules

pytestmark = pytest.mark.django_db

PARTIAL_ROW = {"shift_limits": [{"max_shifts": 3}]}


def patch(user, rules, body):
    client = APIClient()
    client.force_login(user)
    return client.patch(reverse("staffing-api:labour-rules-detail", args=[rules.pk]), body, format="json")


def unit_rules(hospital):
    return LabourRules.objects.create(scope=LabourRules.Scope.DEPARTMENT, department=hospital.ward, min_rest_hours=11)


def test_it_answers_a_limit_row_without_its_shift_type_with_400(hospital, roster):
    rules = hospital_rules(min_rest_hours=11)

    response = patch(hospital.users["ops"], rules, PARTIAL_ROW)

    assert response.status_code == 400
    assert response.json()["shift_limits"] == {"0": {"shift_type": ["This field is required."]}}
    assert not rules.shift_limits.exists()


def test_it_answers_a_limit_row_without_its_maximum_with_400(hospital, roster):
    rules = unit_rules(hospital)

    response = patch(hospital.users["head_med"], rules, {"shift_limits": [{"shift_type": roster.night.pk}]})

    assert response.status_code == 400
    assert response.json()["shift_limits"] == {"0": {"max_shifts": ["This field is required."]}}


def test_it_still_takes_whole_limit_rows_in_a_patch(hospital, roster):
    rules = unit_rules(hospital)

    response = patch(hospital.users["head_med"], rules, {"shift_limits": [{"shift_type": roster.night.pk,
                                                                            "max_shifts": 3}]})

    assert response.status_code == 200
    assert [(limit.shift_type, limit.max_shifts) for limit in rules.shift_limits.all()] == [(roster.night, 3)]


def test_a_head_patching_the_hospital_default_gets_403_whatever_the_body(hospital, roster):
    rules = hospital_rules(min_rest_hours=11)

    for body in (PARTIAL_ROW, {"min_rest_hours": "not a number"}, "[" * 1000 + "]" * 1000):
        client = APIClient()
        client.force_login(hospital.users["head_med"])
        url = reverse("staffing-api:labour-rules-detail", args=[rules.pk])
        data = body if isinstance(body, str) else json.dumps(body)
        response = client.patch(url, data, content_type="application/json")

        assert response.status_code == 403, body
    rules.refresh_from_db()
    assert rules.min_rest_hours == 11


def test_a_scheduler_patching_the_unit_rules_gets_403(hospital, roster):
    response = patch(hospital.users["scheduler_med"], unit_rules(hospital), PARTIAL_ROW)

    assert response.status_code == 403


def test_staff_patching_their_own_contract_get_403(hospital, roster):
    contract = LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.staff_employee)

    response = patch(hospital.users["staff"], contract, PARTIAL_ROW)

    assert response.status_code == 403


def test_another_departments_head_gets_404(hospital, roster):
    response = patch(hospital.users["head_surg"], unit_rules(hospital), PARTIAL_ROW)

    assert response.status_code == 404
