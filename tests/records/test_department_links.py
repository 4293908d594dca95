"""A department page links only to departments the reader may open (no link that answers 404)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def ward_page(client, hospital, who):
    client.force_login(hospital.users[who])
    response = client.get(reverse("records:department-detail", args=[hospital.ward.pk]))
    assert response.status_code == 200
    return response.text


def test_a_wards_scheduler_sees_the_parent_named_but_not_linked(client, hospital):
    page = ward_page(client, hospital, "scheduler_med")
    assert "Medicine" in page
    assert f'href="{hospital.medicine.get_absolute_url()}"' not in page
    client.force_login(hospital.users["scheduler_med"])
    assert client.get(hospital.medicine.get_absolute_url()).status_code == 404


def test_the_departments_head_gets_the_link(client, hospital):
    page = ward_page(client, hospital, "head_med")
    assert f'href="{hospital.medicine.get_absolute_url()}"' in page
