import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from records.models import Credential, Department, Employee, EmployeeSkill, Skill
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    JobTitleFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def as_user(client, hospital, name):
    client.force_login(hospital.users[name])
    return client


def employee_data(hospital, **overrides):
    data = {
        "employee_number": "E-900",
        "first_name": "Petra",
        "last_name": "Pulse",
        "email": "petra@example.org",
        "phone": "",
        "department": hospital.ward.pk,
        "job_title": JobTitleFactory().pk,
        "employment_type": Employee.EmploymentType.FULL_TIME,
        "fte": "0.8",
        "hourly_rate": "41.00",
        "hire_date": "2024-03-01",
        "termination_date": "",
        "status": Employee.Status.ACTIVE,
    }
    data.update(overrides)
    return data


def credential_data(**overrides):
    today = timezone.localdate()
    data = {
        "credential_type": CredentialTypeFactory().pk,
        "number": "RN-123456",
        "issuer": "State Board of Nursing",
        "issued_on": (today - dt.timedelta(days=100)).isoformat(),
        "expiry_date": (today + dt.timedelta(days=300)).isoformat(),
    }
    data.update(overrides)
    return data


# Employee list scoping


def test_it_lists_only_the_heads_department(client, hospital):
    response = as_user(client, hospital, "head_med").get(reverse("records:employee-list"))
    assert response.status_code == 200
    assert "Nightingale" in response.text
    assert "Sutures" not in response.text


def test_it_lists_every_department_for_an_operations_manager(client, hospital):
    response = as_user(client, hospital, "ops").get(reverse("records:employee-list"))
    assert "Nightingale" in response.text
    assert "Sutures" in response.text


@pytest.mark.parametrize("name", ["board", "finance", "staff"])
def test_it_hides_the_employee_list_from_roles_without_people(client, hospital, name):
    response = as_user(client, hospital, name).get(reverse("records:employee-list"))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["board", "finance", "staff"])
def test_it_hides_the_department_list_from_roles_without_people(client, hospital, name):
    response = as_user(client, hospital, name).get(reverse("records:department-list"))
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, hospital):
    response = client.get(reverse("records:employee-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_filters_the_list_by_credential_status(client, hospital):
    CredentialFactory(employee=hospital.nurse, expiry_date=timezone.localdate() - dt.timedelta(days=1))
    response = as_user(client, hospital, "head_med").get(
        reverse("records:employee-list"), {"credential_status": "expired"}
    )
    assert "Nightingale" in response.text
    assert "Staff, Stacy" not in response.text


def test_it_sorts_the_list_by_the_ordering_parameter(client, hospital):
    response = as_user(client, hospital, "ops").get(reverse("records:employee-list"), {"ordering": "-name"})
    assert response.text.index("Sutures") < response.text.index("Nightingale")


def test_it_returns_only_the_results_table_to_htmx(client, hospital):
    response = as_user(client, hospital, "ops").get(reverse("records:employee-list"), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results">')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_it_paginates_fifty_employees_a_page_and_keeps_filters(client, hospital):
    EmployeeFactory.create_batch(55, department=hospital.ward)
    response = as_user(client, hospital, "head_med").get(
        reverse("records:employee-list"), {"status": "active", "ordering": "number"}
    )
    assert len(response.context["employees"]) == 50
    assert "?status=active&amp;ordering=number&amp;page=2" in response.text


def test_it_keeps_the_employee_list_queries_constant(client, hospital, django_assert_max_num_queries):
    client = as_user(client, hospital, "ops")
    url = reverse("records:employee-list")
    Employee.objects.exclude(pk=hospital.nurse.pk).delete()
    CredentialFactory(employee=hospital.nurse)
    EmployeeSkillFactory(employee=hospital.nurse)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(50) as one:
        client.get(url)
    for _ in range(49):
        employee = EmployeeFactory(department=hospital.ward)
        CredentialFactory(employee=employee)
        EmployeeSkillFactory(employee=employee)
    with django_assert_max_num_queries(len(one.captured_queries)) as fifty:
        response = client.get(url)
    assert len(response.context["employees"]) == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)


# Employee detail scoping


def test_it_shows_a_head_an_employee_of_the_department(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    assert response.status_code == 200
    assert "Nora Nightingale" in response.text


def test_it_hides_an_employee_of_another_department_from_a_head(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.surgeon.get_absolute_url())
    assert response.status_code == 404


def test_it_shows_staff_their_own_record_read_only(client, hospital):
    response = as_user(client, hospital, "staff").get(hospital.staff_employee.get_absolute_url())
    assert response.status_code == 200
    assert reverse("records:employee-edit", args=[hospital.staff_employee.pk]) not in response.text


def test_it_hides_a_colleague_from_staff(client, hospital):
    response = as_user(client, hospital, "staff").get(hospital.nurse.get_absolute_url())
    assert response.status_code == 404


def test_it_hides_every_record_from_a_board_member(client, hospital):
    response = as_user(client, hospital, "board").get(hospital.nurse.get_absolute_url())
    assert response.status_code == 404


def test_it_shows_edit_links_to_a_head(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    assert reverse("records:employee-edit", args=[hospital.nurse.pk]) in response.text


def test_it_shows_credential_state_badges(client, hospital):
    CredentialFactory(employee=hospital.nurse, expiry_date=timezone.localdate() - dt.timedelta(days=3))
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    assert 'class="badge text-bg-danger">Expired' in response.text


def test_it_lists_record_changes_in_history(client, hospital):
    hospital.nurse.fte = Decimal("0.50")
    hospital.nurse._change_reason = "hours cut"
    hospital.nurse.save()
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    history = response.context["history"]
    assert history[0]["reason"] == "hours cut"
    assert {"field": "FTE", "old": "1.00", "new": "0.50"} in history[0]["changes"]


def test_it_lists_credential_history_with_the_record(client, hospital):
    CredentialFactory(employee=hospital.nurse, number="LIC-777")
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    assert any("LIC-777" in entry["subject"] for entry in response.context["history"])


# Edit pages


def test_it_hides_the_edit_page_from_a_scheduler(client, hospital):
    response = as_user(client, hospital, "scheduler_med").get(
        reverse("records:employee-edit", args=[hospital.nurse.pk])
    )
    assert response.status_code == 404


def test_it_hides_the_edit_page_from_staff_for_their_own_record(client, hospital):
    response = as_user(client, hospital, "staff").get(
        reverse("records:employee-edit", args=[hospital.staff_employee.pk])
    )
    assert response.status_code == 404


def test_it_hides_the_edit_page_of_another_department(client, hospital):
    response = as_user(client, hospital, "head_med").get(
        reverse("records:employee-edit", args=[hospital.surgeon.pk])
    )
    assert response.status_code == 404


def test_it_creates_an_employee_with_history(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-create"), employee_data(hospital)
    )
    employee = Employee.objects.get(employee_number="E-900")
    assert response.status_code == 302
    assert response["Location"] == employee.get_absolute_url()
    record = employee.history.get()
    assert record.history_user == hospital.users["head_med"]
    assert record.history_change_reason == "created"


def test_it_rejects_an_fte_above_one(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-create"), employee_data(hospital, fte="1.5")
    )
    assert response.status_code == 400
    assert "fte" in response.context["form"].errors
    assert not Employee.objects.filter(employee_number="E-900").exists()


def test_it_rejects_a_duplicate_employee_number(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-create"),
        employee_data(hospital, employee_number=hospital.nurse.employee_number),
    )
    assert response.status_code == 400
    assert "employee_number" in response.context["form"].errors
    assert Employee.objects.filter(employee_number=hospital.nurse.employee_number).count() == 1


def test_it_rejects_a_termination_before_hire(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-create"),
        employee_data(hospital, hire_date="2024-03-01", termination_date="2024-02-01"),
    )
    assert response.status_code == 400
    assert "termination_date" in response.context["form"].errors
    assert not Employee.objects.filter(employee_number="E-900").exists()


def test_it_refuses_to_create_in_another_department(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-create"), employee_data(hospital, department=hospital.theatre.pk)
    )
    assert response.status_code == 400
    assert "department" in response.context["form"].errors
    assert not Employee.objects.filter(employee_number="E-900").exists()


def test_it_updates_an_employee_and_records_who(client, hospital):
    data = employee_data(hospital, employee_number=hospital.nurse.employee_number, fte="0.6")
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-edit", args=[hospital.nurse.pk]), data
    )
    assert response.status_code == 302
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.fte == Decimal("0.60")
    latest = hospital.nurse.history.first()
    assert latest.history_user == hospital.users["head_med"]
    assert latest.history_change_reason == "updated"


def test_it_leaves_the_record_unchanged_when_the_edit_is_invalid(client, hospital):
    data = employee_data(hospital, employee_number=hospital.nurse.employee_number, fte="1.5")
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-edit", args=[hospital.nurse.pk]), data
    )
    assert response.status_code == 400
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.fte == Decimal("1.00")
    assert hospital.nurse.history.count() == 1


# Credentials


def test_it_adds_a_credential_with_history(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:credential-add", args=[hospital.nurse.pk]), credential_data()
    )
    assert response.status_code == 302
    credential = Credential.objects.get(number="RN-123456")
    assert credential.employee == hospital.nurse
    assert credential.history.get().history_user == hospital.users["head_med"]


def test_it_rejects_a_credential_expiring_before_issue(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:credential-add", args=[hospital.nurse.pk]),
        credential_data(issued_on="2025-05-01", expiry_date="2025-04-01"),
    )
    assert response.status_code == 400
    assert "expiry_date" in response.context["form"].errors
    assert not Credential.objects.exists()


def test_it_hides_credential_add_for_another_department(client, hospital):
    response = as_user(client, hospital, "head_med").post(
        reverse("records:credential-add", args=[hospital.surgeon.pk]), credential_data()
    )
    assert response.status_code == 404
    assert not Credential.objects.exists()


def test_it_edits_a_credential(client, hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    data = credential_data(credential_type=credential.credential_type.pk, number="RN-NEW-1")
    response = as_user(client, hospital, "head_med").post(
        reverse("records:credential-edit", args=[credential.pk]), data
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.number == "RN-NEW-1"


def test_it_hides_credential_edit_from_a_scheduler(client, hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    response = as_user(client, hospital, "scheduler_med").get(
        reverse("records:credential-edit", args=[credential.pk])
    )
    assert response.status_code == 404


def test_it_verifies_a_credential(client, hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    response = as_user(client, hospital, "head_med").post(reverse("records:credential-verify", args=[credential.pk]))
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.verified_by == hospital.users["head_med"]


def test_it_hides_verification_of_another_departments_credential(client, hospital):
    credential = CredentialFactory(employee=hospital.surgeon)
    response = as_user(client, hospital, "head_med").post(reverse("records:credential-verify", args=[credential.pk]))
    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.verified_at is None


def test_it_refuses_verification_by_get(client, hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    response = as_user(client, hospital, "head_med").get(reverse("records:credential-verify", args=[credential.pk]))
    assert response.status_code == 405


# Skills on an employee


def test_it_adds_a_skill_to_an_employee(client, hospital):
    skill = SkillFactory()
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-skill-add", args=[hospital.nurse.pk]), {"skill": skill.pk, "level": 2}
    )
    assert response.status_code == 302
    assert EmployeeSkill.objects.filter(employee=hospital.nurse, skill=skill).exists()


def test_it_rejects_a_skill_the_employee_already_has(client, hospital):
    holding = EmployeeSkillFactory(employee=hospital.nurse)
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-skill-add", args=[hospital.nurse.pk]), {"skill": holding.skill.pk, "level": 3}
    )
    assert response.status_code == 400
    assert "already has this skill" in response.text
    assert EmployeeSkill.objects.filter(employee=hospital.nurse).count() == 1


def test_it_removes_a_skill_from_an_employee(client, hospital):
    holding = EmployeeSkillFactory(employee=hospital.nurse)
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-skill-remove", args=[hospital.nurse.pk, holding.pk])
    )
    assert response.status_code == 302
    assert not EmployeeSkill.objects.filter(pk=holding.pk).exists()


def test_it_hides_skill_removal_in_another_department(client, hospital):
    holding = EmployeeSkillFactory(employee=hospital.surgeon)
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-skill-remove", args=[hospital.surgeon.pk, holding.pk])
    )
    assert response.status_code == 404
    assert EmployeeSkill.objects.filter(pk=holding.pk).exists()


# Departments


def test_it_shows_the_department_tree_indented(client, hospital):
    response = as_user(client, hospital, "ops").get(reverse("records:department-list"))
    assert response.status_code == 200
    assert 'class="depth-1"' in response.text
    names = [department.code for department in response.context["departments"]]
    assert names == ["MED", "MED-4W", "SURG", "SURG-OR"]


def test_it_shows_a_head_only_their_departments(client, hospital):
    response = as_user(client, hospital, "head_med").get(reverse("records:department-list"))
    assert [department.code for department in response.context["departments"]] == ["MED", "MED-4W"]


def test_it_hides_another_department_detail(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.surgery.get_absolute_url())
    assert response.status_code == 404


def test_it_shows_a_department_with_its_units(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.medicine.get_absolute_url())
    assert response.status_code == 200
    assert "Ward 4 West" in response.text


def test_it_creates_a_unit_under_the_heads_department(client, hospital):
    data = {"code": "MED-5E", "name": "Ward 5 East", "kind": "unit", "parent": hospital.medicine.pk,
            "cost_centre": "CC-5E", "head": "", "is_active": "on"}
    response = as_user(client, hospital, "head_med").post(reverse("records:department-create"), data)
    assert response.status_code == 302
    unit = Department.objects.get(code="MED-5E")
    assert unit.path.startswith(hospital.medicine.path)


def test_it_offers_a_head_only_their_departments_as_parents(client, hospital):
    response = as_user(client, hospital, "head_med").get(reverse("records:department-create"))
    parents = set(response.context["form"].fields["parent"].queryset.values_list("code", flat=True))
    assert parents == {"MED", "MED-4W"}


def test_it_hides_department_edit_from_a_scheduler(client, hospital):
    response = as_user(client, hospital, "scheduler_med").get(
        reverse("records:department-edit", args=[hospital.ward.pk])
    )
    assert response.status_code == 404


def test_it_rejects_a_duplicate_department_code(client, hospital):
    data = {"code": "MED-4W", "name": "Copy", "kind": "unit", "parent": hospital.medicine.pk,
            "cost_centre": "CC-COPY", "head": "", "is_active": "on"}
    response = as_user(client, hospital, "head_med").post(reverse("records:department-create"), data)
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert not Department.objects.filter(cost_centre="CC-COPY").exists()


# Skills catalogue


def test_it_creates_a_skill(client, hospital):
    response = as_user(client, hospital, "ops").post(
        reverse("records:skill-create"), {"code": "ACLS", "name": "Advanced life support", "description": ""}
    )
    assert response.status_code == 302
    assert Skill.objects.get(code="ACLS").history.get().history_user == hospital.users["ops"]


def test_it_hides_skill_editing_from_a_head(client, hospital):
    skill = SkillFactory()
    client = as_user(client, hospital, "head_med")
    assert client.get(reverse("records:skill-create")).status_code == 404
    assert client.get(reverse("records:skill-edit", args=[skill.pk])).status_code == 404


def test_it_rejects_a_badly_formed_skill_code(client, hospital):
    response = as_user(client, hospital, "ops").post(
        reverse("records:skill-create"), {"code": "acls lower", "name": "Advanced life support"}
    )
    assert response.status_code == 400
    assert "code" in response.context["form"].errors
    assert not Skill.objects.exists()


def test_it_hides_skill_creation_from_a_scheduler(client, hospital):
    response = as_user(client, hospital, "scheduler_med").get(reverse("records:skill-create"))
    assert response.status_code == 404


def test_it_lets_a_scheduler_browse_skills(client, hospital):
    SkillFactory(name="Telemetry")
    response = as_user(client, hospital, "scheduler_med").get(reverse("records:skill-list"))
    assert response.status_code == 200
    assert "Telemetry" in response.text


# Pages in general


def test_it_puts_a_csrf_token_in_every_form(client, hospital):
    response = as_user(client, hospital, "head_med").get(hospital.nurse.get_absolute_url())
    assert response.text.count("<form method=\"post\"") == response.text.count("csrfmiddlewaretoken")


def test_it_uses_no_inline_scripts_or_styles(client, hospital):
    response = as_user(client, hospital, "ops").get(reverse("records:employee-list"))
    assert "<script>" not in response.text
    assert "style=" not in response.text


def test_it_renders_a_plain_404_page(client, hospital):
    response = as_user(client, hospital, "ops").get("/records/employees/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "navbar" not in response.text


def test_it_keeps_the_saved_values_in_the_page_header_when_an_edit_fails(client, hospital):
    number = hospital.nurse.employee_number
    data = employee_data(hospital, employee_number=hospital.surgeon.employee_number)
    response = as_user(client, hospital, "head_med").post(
        reverse("records:employee-edit", args=[hospital.nurse.pk]), data
    )
    assert response.status_code == 400
    assert response.context["employee"].employee_number == number


def test_it_saves_a_department_edit_with_history(client, hospital):
    data = {"code": "MED-4W", "name": "Ward 4 West (Cardiac)", "kind": "unit", "parent": hospital.medicine.pk,
            "cost_centre": hospital.ward.cost_centre, "head": hospital.nurse.employee_number, "is_active": "on"}
    response = as_user(client, hospital, "head_med").post(
        reverse("records:department-edit", args=[hospital.ward.pk]), data
    )
    assert response.status_code == 302
    hospital.ward.refresh_from_db()
    assert hospital.ward.name == "Ward 4 West (Cardiac)"
    assert hospital.ward.history.first().history_user == hospital.users["head_med"]
