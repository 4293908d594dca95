import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from records.api.urls import router
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


def url(name, *args):
    return reverse(f"records-api:{name}", args=args)


def employee_payload(department, **overrides):
    payload = {
        "employee_number": "N-9001",
        "first_name": "Florence",
        "last_name": "Carter",
        "department": department.pk,
        "job_title": JobTitleFactory().pk,
        "employment_type": "FT",
        "fte": "0.80",
        "hourly_rate": "44.00",
        "hire_date": "2024-03-01",
    }
    payload.update(overrides)
    return payload


def every_route():
    """Each URL the records router serves, with a made-up id where one is needed."""
    for pattern in router.urls:
        if "format" in pattern.pattern.regex.groupindex:
            continue
        kwargs = {name: "1" for name in pattern.pattern.regex.groupindex}
        yield pytest.param(pattern.name, kwargs, id=pattern.name)


# Anonymous callers


@pytest.mark.parametrize(("name", "kwargs"), list(every_route()))
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_it_refuses_anonymous_callers_on_every_route(api, hospital, name, kwargs, method):
    response = getattr(api, method)(reverse(f"records-api:{name}", kwargs=kwargs), {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# Scoping: who sees what


def test_it_shows_a_head_an_employee_of_their_department(as_user, hospital):
    response = as_user("head_med").get(url("employee-detail", hospital.nurse.pk))

    assert response.status_code == 200
    assert response.json()["department_code"] == "MED-4W"


def test_it_hides_another_departments_employee_from_a_head(as_user, hospital):
    response = as_user("head_med").get(url("employee-detail", hospital.surgeon.pk))

    assert response.status_code == 404


def test_it_lists_only_a_heads_own_subtree(as_user, hospital):
    response = as_user("head_surg").get(url("employee-list"))

    assert [row["id"] for row in response.json()["results"]] == [hospital.surgeon.pk]


def test_it_lists_every_employee_for_an_operations_manager(as_user, hospital):
    response = as_user("ops").get(url("employee-list"))

    assert response.json()["count"] == 3


def test_it_gives_a_board_member_no_employees(as_user, hospital):
    response = as_user("board").get(url("employee-list"))

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_it_answers_404_to_a_board_member_asking_for_an_employee(as_user, hospital):
    response = as_user("board").get(url("employee-detail", hospital.nurse.pk))

    assert response.status_code == 404


def test_it_gives_a_finance_officer_no_employees(as_user, hospital):
    response = as_user("finance").get(url("employee-list"))

    assert response.json()["results"] == []


def test_it_shows_a_finance_officer_every_department(as_user, hospital):
    response = as_user("finance").get(url("department-list"))

    assert [row["code"] for row in response.json()["results"]] == ["MED", "MED-4W", "SURG", "SURG-OR"]


def test_it_shows_a_staff_member_only_their_own_record(as_user, hospital):
    response = as_user("staff").get(url("employee-list"))

    assert [row["id"] for row in response.json()["results"]] == [hospital.staff_employee.pk]


def test_it_hides_a_colleague_from_a_staff_member(as_user, hospital):
    response = as_user("staff").get(url("employee-detail", hospital.nurse.pk))

    assert response.status_code == 404


def test_it_hides_another_departments_department_from_a_head(as_user, hospital):
    response = as_user("head_med").get(url("department-detail", hospital.surgery.pk))

    assert response.status_code == 404


def test_it_lists_a_heads_department_with_its_units(as_user, hospital):
    response = as_user("head_med").get(url("department-list"))

    assert {row["code"] for row in response.json()["results"]} == {"MED", "MED-4W"}


def test_it_hides_another_departments_credential(as_user, hospital):
    credential = CredentialFactory(employee=hospital.surgeon)

    response = as_user("head_med").get(url("credential-detail", credential.pk))

    assert response.status_code == 404


def test_it_hides_another_departments_employee_skill(as_user, hospital):
    held = EmployeeSkillFactory(employee=hospital.surgeon)

    response = as_user("head_med").get(url("employee-skill-detail", held.pk))

    assert response.status_code == 404


def test_it_shows_the_skill_catalogue_to_a_scheduler(as_user, hospital):
    SkillFactory(code="ACLS", name="Advanced cardiac life support")

    response = as_user("scheduler_med").get(url("skill-list"))

    assert [row["code"] for row in response.json()["results"]] == ["ACLS"]


def test_it_gives_a_board_member_an_empty_skill_catalogue(as_user, hospital):
    SkillFactory()

    response = as_user("board").get(url("skill-list"))

    assert response.json()["results"] == []


# Representation


def test_it_shows_skills_and_credential_state_on_an_employee(as_user, hospital):
    EmployeeSkillFactory(employee=hospital.nurse, skill=SkillFactory(code="ICU", name="Intensive care"), level=3)
    CredentialFactory(employee=hospital.nurse, expiry_date=timezone.localdate() - dt.timedelta(days=1))

    body = as_user("head_med").get(url("employee-detail", hospital.nurse.pk)).json()

    assert [(row["code"], row["name"], row["level"]) for row in body["skills"]] == [("ICU", "Intensive care", 3)]
    assert body["credential_state"] == "expired"
    assert body["job_title_name"] == hospital.nurse.job_title.name


# Writes


def test_it_creates_an_employee_with_history(as_user, hospital):
    response = as_user("head_med").post(url("employee-list"), employee_payload(hospital.ward), format="json")

    assert response.status_code == 201, response.json()
    employee = Employee.objects.get(employee_number="N-9001")
    assert response.json()["id"] == employee.pk
    record = employee.history.get()
    assert record.history_type == "+"
    assert record.history_user == hospital.users["head_med"]


def test_it_answers_bad_employee_input_with_field_errors(as_user, hospital):
    before = Employee.objects.count()

    response = as_user("head_med").post(
        url("employee-list"),
        employee_payload(hospital.ward, employee_number="bad number", fte="2.5", last_name=""),
        format="json",
    )

    assert response.status_code == 400
    assert {"employee_number", "fte", "last_name"} <= set(response.json())
    assert Employee.objects.count() == before


def test_it_answers_a_service_validation_error_as_json(as_user, hospital):
    before = Employee.objects.count()

    response = as_user("head_med").post(
        url("employee-list"),
        employee_payload(hospital.ward, hire_date="2024-03-01", termination_date="2023-01-01"),
        format="json",
    )

    assert response.status_code == 400
    assert "termination date cannot be before the hire date" in str(response.json()["non_field_errors"])
    assert Employee.objects.count() == before


def test_it_treats_an_invisible_department_as_not_found(as_user, hospital):
    """A head cannot place anyone in a department they cannot see: its id is as good as unknown."""
    before = Employee.objects.count()

    response = as_user("head_med").post(url("employee-list"), employee_payload(hospital.surgery), format="json")

    assert response.status_code == 400
    assert "does not exist" in response.json()["department"][0]
    assert Employee.objects.count() == before


def test_it_refuses_a_scheduler_creating_an_employee_in_a_visible_department(as_user, hospital):
    before = Employee.objects.count()

    response = as_user("scheduler_med").post(url("employee-list"), employee_payload(hospital.ward), format="json")

    assert response.status_code == 403
    assert Employee.objects.count() == before


def test_it_updates_an_employee_with_history(as_user, hospital):
    response = as_user("head_med").patch(url("employee-detail", hospital.nurse.pk), {"fte": "0.50"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["fte"] == "0.50"
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.fte == Decimal("0.50")
    latest = hospital.nurse.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == hospital.users["head_med"]


def test_it_leaves_an_employee_unchanged_after_bad_input(as_user, hospital):
    response = as_user("head_med").patch(
        url("employee-detail", hospital.nurse.pk), {"fte": "-1", "email": "not-an-address"}, format="json"
    )

    assert response.status_code == 400
    assert {"fte", "email"} <= set(response.json())
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.fte == Decimal("1.00")
    assert hospital.nurse.history.count() == 1


def test_it_refuses_moving_an_employee_to_an_invisible_department(as_user, hospital):
    response = as_user("head_med").patch(
        url("employee-detail", hospital.nurse.pk), {"department": hospital.theatre.pk}, format="json"
    )

    assert response.status_code == 400
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.department == hospital.ward


def test_it_answers_404_to_a_head_patching_another_departments_employee(as_user, hospital):
    response = as_user("head_med").patch(url("employee-detail", hospital.surgeon.pk), {"fte": "0.5"}, format="json")

    assert response.status_code == 404


def test_it_offers_no_delete(as_user, hospital):
    response = as_user("admin").delete(url("employee-detail", hospital.nurse.pk))

    assert response.status_code == 405
    assert Employee.objects.filter(pk=hospital.nurse.pk).exists()


def test_it_creates_a_unit_under_a_heads_department(as_user, hospital):
    response = as_user("head_med").post(
        url("department-list"),
        {"code": "MED-5E", "name": "Ward 5 East", "kind": "unit", "parent": hospital.medicine.pk, "cost_centre": "C5E"},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["parent_code"] == "MED"
    assert Department.objects.get(code="MED-5E").path.startswith(hospital.medicine.path)


def test_it_lets_a_manager_add_a_skill_to_the_catalogue(as_user, hospital):
    response = as_user("ops").post(url("skill-list"), {"code": "PALS", "name": "Paediatric life support"})

    assert response.status_code == 201
    assert Skill.objects.filter(code="PALS").exists()


def test_it_refuses_a_head_changing_the_catalogue(as_user, hospital):
    skill = SkillFactory(name="Telemetry")
    client = as_user("head_surg")

    assert client.post(url("skill-list"), {"code": "PALS", "name": "Paediatric life support"}).status_code == 403
    assert client.patch(url("skill-detail", skill.pk), {"name": "Renamed"}, format="json").status_code == 403
    skill.refresh_from_db()
    assert skill.name == "Telemetry"


def test_it_refuses_a_scheduler_changing_the_catalogue(as_user, hospital):
    response = as_user("scheduler_med").post(url("skill-list"), {"code": "PALS", "name": "Paediatric life support"})

    assert response.status_code == 403
    assert not Skill.objects.filter(code="PALS").exists()


def test_it_adds_a_skill_to_an_employee(as_user, hospital):
    skill = SkillFactory()

    response = as_user("head_med").post(
        url("employee-skill-list"), {"employee": hospital.nurse.pk, "skill": skill.pk, "level": 2}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert EmployeeSkill.objects.filter(employee=hospital.nurse, skill=skill).exists()


def test_it_refuses_a_skill_an_employee_already_holds(as_user, hospital):
    held = EmployeeSkillFactory(employee=hospital.nurse)

    response = as_user("head_med").post(
        url("employee-skill-list"), {"employee": hospital.nurse.pk, "skill": held.skill_id}, format="json"
    )

    assert response.status_code == 400
    assert "already has this skill" in str(response.json())
    assert EmployeeSkill.objects.count() == 1


def test_it_adds_a_credential(as_user, hospital):
    today = timezone.localdate()
    payload = {
        "employee": hospital.nurse.pk,
        "credential_type": CredentialTypeFactory().pk,
        "number": "RN-123456",
        "issuer": "State Board of Nursing",
        "issued_on": str(today - dt.timedelta(days=30)),
        "expiry_date": str(today + dt.timedelta(days=700)),
    }

    response = as_user("head_med").post(url("credential-list"), payload, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["state"] == "unverified"
    assert Credential.objects.filter(employee=hospital.nurse, number="RN-123456").exists()


def test_it_keeps_a_credential_with_its_employee(as_user, hospital):
    credential = CredentialFactory(employee=hospital.nurse)

    response = as_user("head_med").patch(
        url("credential-detail", credential.pk), {"employee": hospital.staff_employee.pk}, format="json"
    )

    assert response.status_code == 400
    assert "employee" in response.json()
    credential.refresh_from_db()
    assert credential.employee == hospital.nurse


def test_it_verifies_a_credential(as_user, hospital):
    credential = CredentialFactory(employee=hospital.nurse)

    response = as_user("head_med").post(url("credential-verify", credential.pk))

    assert response.status_code == 200
    assert response.json()["verified_by"] == hospital.users["head_med"].pk
    credential.refresh_from_db()
    assert credential.verified_at is not None


def test_it_answers_404_to_verifying_another_departments_credential(as_user, hospital):
    credential = CredentialFactory(employee=hospital.surgeon)

    response = as_user("head_med").post(url("credential-verify", credential.pk))

    assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.verified_at is None


def test_it_refuses_a_staff_member_verifying_their_own_credential(as_user, hospital):
    credential = CredentialFactory(employee=hospital.staff_employee)

    response = as_user("staff").post(url("credential-verify", credential.pk))

    assert response.status_code == 403
    credential.refresh_from_db()
    assert credential.verified_at is None


# Query count, paging, filters


def employees_with_skills_and_credentials(department, count):
    for employee in EmployeeFactory.create_batch(count, department=department):
        EmployeeSkillFactory(employee=employee)
        CredentialFactory(employee=employee)


@pytest.mark.parametrize("count", [1, 50])
def test_it_lists_employees_in_constant_queries(as_user, hospital, django_assert_max_num_queries, count):
    employees_with_skills_and_credentials(hospital.ward, count)
    client = as_user("head_med")

    with django_assert_max_num_queries(11):
        response = client.get(url("employee-list"), {"page_size": 50})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(count + 2, 50)


def test_it_caps_the_page_size_at_200(as_user, hospital):
    job_title = hospital.nurse.job_title
    Employee.objects.bulk_create(
        EmployeeFactory.build(employee_number=f"B-{n:04d}", department=hospital.ward, job_title=job_title)
        for n in range(205)
    )

    response = as_user("ops").get(url("employee-list"), {"page_size": 1000})

    assert len(response.json()["results"]) == 200
    assert response.json()["count"] == 208


def test_it_filters_employees_by_department_including_units(as_user, hospital):
    response = as_user("ops").get(url("employee-list"), {"department": hospital.medicine.pk})

    assert {row["id"] for row in response.json()["results"]} == {hospital.nurse.pk, hospital.staff_employee.pk}


def test_it_refuses_filtering_by_an_invisible_department(as_user, hospital):
    response = as_user("head_med").get(url("employee-list"), {"department": hospital.surgery.pk})

    assert response.status_code == 400
    assert "department" in response.json()


def test_it_filters_employees_by_expired_credential(as_user, hospital):
    CredentialFactory(employee=hospital.surgeon, expiry_date=timezone.localdate() - dt.timedelta(days=3))
    CredentialFactory(employee=hospital.nurse)

    response = as_user("ops").get(url("employee-list"), {"credential_status": "expired"})

    assert [row["id"] for row in response.json()["results"]] == [hospital.surgeon.pk]


def test_it_filters_credentials_by_employee(as_user, hospital):
    wanted = CredentialFactory(employee=hospital.nurse)
    CredentialFactory(employee=hospital.staff_employee)

    response = as_user("head_med").get(url("credential-list"), {"employee": hospital.nurse.pk})

    assert [row["id"] for row in response.json()["results"]] == [wanted.pk]


def test_it_names_every_route_in_the_api_root(as_user, hospital):
    body = as_user("ops").get(reverse("records-api:api-root")).json()

    assert {re.sub(r"^.*/records/|/$", "", link) for link in body.values()} == {
        prefix for prefix, _viewset, _basename in router.registry
    }
