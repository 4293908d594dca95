import re

import pytest
from django.contrib import admin
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from records.models import ApiToken, Credential, Department, Employee, EmployeeSkill, JobTitle, Membership, Skill
from tests.records.factories import CredentialFactory, EmployeeFactory, EmployeeSkillFactory, make_token

pytestmark = pytest.mark.django_db

RECORDS_MODELS = [Department, Membership, JobTitle, Employee, Skill, EmployeeSkill, Credential, ApiToken]


@pytest.fixture
def admin_client(client, hospital):
    client.force_login(hospital.users["admin"])
    return client


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize("model", RECORDS_MODELS, ids=lambda model: model.__name__)
def test_it_registers_every_records_model_with_history(model):
    assert isinstance(admin.site._registry.get(model), SimpleHistoryAdmin)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_it_opens_every_changelist_for_a_superuser(admin_client, hospital, model):
    CredentialFactory(employee=hospital.nurse)
    EmployeeSkillFactory(employee=hospital.nurse)
    make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = admin_client.get(changelist_url(model))

    assert response.status_code == 200


def test_it_lists_fifty_employees_in_constant_queries(admin_client, hospital, django_assert_max_num_queries):
    EmployeeFactory.create_batch(50, department=hospital.ward)

    with django_assert_max_num_queries(12):
        response = admin_client.get(changelist_url(Employee))

    assert response.status_code == 200


def test_it_shows_an_employees_history(admin_client, hospital):
    hospital.nurse.fte = "0.5"
    hospital.nurse.save()

    response = admin_client.get(reverse("admin:records_employee_history", args=[hospital.nurse.pk]))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 2


def add_token(admin_client, hospital):
    return admin_client.post(
        reverse("admin:records_apitoken_add"),
        {"name": "Bed feed", "user": hospital.users["ops"].pk, "scopes": '{"records": "read"}'},
        follow=True,
    )


def test_it_shows_a_new_tokens_key_once(admin_client, hospital):
    response = add_token(admin_client, hospital)

    shown = [str(message) for message in response.context["messages"]]
    key = next(re.search(r"not be shown again: (\S+)$", text).group(1) for text in shown if "shown again" in text)
    token = ApiToken.objects.get(name="Bed feed")
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.created_by == hospital.users["admin"]
    assert key not in admin_client.get(reverse("admin:records_apitoken_change", args=[token.pk])).content.decode()


def test_it_never_displays_the_key_hash(admin_client, hospital):
    add_token(admin_client, hospital)
    token = ApiToken.objects.get(name="Bed feed")

    change_page = admin_client.get(reverse("admin:records_apitoken_change", args=[token.pk])).content.decode()
    list_page = admin_client.get(changelist_url(ApiToken)).content.decode()

    assert token.key_hash not in change_page
    assert token.key_hash not in list_page


def test_it_refuses_a_token_with_an_unknown_app_scope(admin_client, hospital):
    response = admin_client.post(
        reverse("admin:records_apitoken_add"),
        {"name": "Bed feed", "user": hospital.users["ops"].pk, "scopes": '{"payroll": "read"}'},
    )

    assert response.status_code == 200
    assert "Unknown app" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_selected_tokens(admin_client, hospital):
    token, _key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    admin_client.post(changelist_url(ApiToken), {"action": "revoke", "_selected_action": [token.pk]})

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.first().history_change_reason == "revoked"
