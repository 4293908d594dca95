"""People-record services: rights, validation with nothing saved, and history kept."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from records import services
from records.models import Credential, Department, Employee, Skill
from tests.records.factories import CredentialFactory, EmployeeFactory, JobTitleFactory, SkillFactory

pytestmark = pytest.mark.django_db


def employee_data(department, **overrides):
    data = {
        "employee_number": "N-1001",
        "first_name": "Ada",
        "last_name": "Okafor",
        "department": department,
        "job_title": JobTitleFactory(),
        "employment_type": Employee.EmploymentType.FULL_TIME,
        "fte": Decimal("0.80"),
        "hourly_rate": Decimal("45.00"),
        "hire_date": dt.date(2024, 3, 1),
    }
    return data | overrides


def test_it_creates_an_employee_with_a_history_row(hospital):
    employee = services.create_employee(actor=hospital.users["head_med"], data=employee_data(hospital.ward))
    record = employee.history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == "created"


def test_it_refuses_an_employee_in_another_department(hospital):
    with pytest.raises(PermissionDenied):
        services.create_employee(actor=hospital.users["head_med"], data=employee_data(hospital.theatre))
    assert not Employee.objects.filter(employee_number="N-1001").exists()


def test_it_refuses_a_scheduler_editing_people(hospital):
    with pytest.raises(PermissionDenied):
        services.update_employee(actor=hospital.users["scheduler_med"], employee=hospital.nurse, data={"fte": 1})


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fte": Decimal("1.5")}, "fte"),
        ({"hourly_rate": Decimal("-1")}, "hourly_rate"),
        ({"employee_number": "bad number"}, "employee_number"),
        ({"termination_date": dt.date(2020, 1, 1)}, "__all__"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(hospital, overrides, field):
    before = Employee.objects.count()
    with pytest.raises(ValidationError) as error:
        services.create_employee(actor=hospital.users["ops"], data=employee_data(hospital.ward, **overrides))
    assert field in error.value.message_dict
    assert Employee.objects.count() == before


def test_it_refuses_a_duplicate_employee_number(hospital):
    with pytest.raises(ValidationError) as error:
        services.create_employee(
            actor=hospital.users["ops"],
            data=employee_data(hospital.ward, employee_number=hospital.nurse.employee_number),
        )
    assert "employee_number" in error.value.message_dict


def test_it_refuses_moving_someone_into_a_department_you_do_not_run(hospital):
    with pytest.raises(PermissionDenied):
        services.update_employee(
            actor=hospital.users["head_med"], employee=hospital.nurse, data={"department": hospital.theatre}
        )
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.department == hospital.ward


def test_it_dates_a_termination_when_none_is_given(hospital):
    employee = services.update_employee(
        actor=hospital.users["head_med"], employee=hospital.nurse, data={"status": Employee.Status.TERMINATED}
    )
    assert employee.termination_date == timezone.localdate()
    assert employee.history.first().history_change_reason == "updated"


def test_it_enforces_constraints_in_the_database(hospital):
    with pytest.raises(IntegrityError), transaction.atomic():
        Employee.objects.filter(pk=hospital.nurse.pk).update(fte=Decimal("2"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CredentialFactory(issued_on=dt.date(2025, 1, 1), expiry_date=dt.date(2024, 1, 1))


def test_it_keeps_department_paths_when_a_unit_moves(hospital):
    services.update_department(actor=hospital.users["ops"], department=hospital.ward, data={"parent": hospital.surgery})
    hospital.ward.refresh_from_db()
    assert hospital.ward.path == f"{hospital.surgery.path}{hospital.ward.pk}/"


def test_it_refuses_a_department_under_its_own_unit(hospital):
    with pytest.raises(ValidationError):
        services.update_department(
            actor=hospital.users["ops"], department=hospital.medicine, data={"parent": hospital.ward}
        )
    assert Department.objects.get(pk=hospital.medicine.pk).parent is None


def test_it_lets_a_head_add_a_unit_only_under_their_department(hospital):
    data = {"code": "MED-9N", "name": "Ward 9 North", "cost_centre": "CC9N", "kind": "unit"}
    unit = services.create_department(actor=hospital.users["head_med"], data=data | {"parent": hospital.medicine})
    assert unit.path.startswith(hospital.medicine.path)
    with pytest.raises(PermissionDenied):
        services.create_department(
            actor=hospital.users["head_med"],
            data=data | {"code": "X1", "cost_centre": "X1", "parent": hospital.surgery},
        )


def test_it_keeps_the_skill_catalogue_to_hospital_wide_roles(hospital):
    skill = services.save_catalogue_entry(
        actor=hospital.users["ops"], model=Skill, data={"code": "ACLS", "name": "ACLS"}
    )
    assert skill.history.count() == 1
    for name in ("head_med", "scheduler_med", "staff"):
        with pytest.raises(PermissionDenied):
            services.save_catalogue_entry(actor=hospital.users[name], model=Skill, data={"code": "X", "name": "X"})


def test_it_refuses_a_head_rewriting_a_skill_other_departments_use(hospital):
    skill = SkillFactory(name="Telemetry")
    with pytest.raises(PermissionDenied):
        services.save_catalogue_entry(
            actor=hospital.users["head_surg"], model=Skill, instance=skill, data={"name": "Renamed"}
        )
    skill.refresh_from_db()
    assert skill.name == "Telemetry"


def test_it_refuses_the_same_skill_twice(hospital):
    skill = SkillFactory()
    holding = {"employee": hospital.nurse, "skill": skill}
    services.add_employee_skill(actor=hospital.users["head_med"], data=holding)
    with pytest.raises(ValidationError):
        services.add_employee_skill(actor=hospital.users["head_med"], data=holding)


def test_it_verifies_a_credential_and_records_who(hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    verified = services.verify_credential(actor=hospital.users["head_med"], credential=credential)
    assert verified.verified_by == hospital.users["head_med"]
    assert verified.state == Credential.State.VALID
    assert verified.history.first().history_change_reason == "verified"


def test_it_refuses_verifying_your_own_credential(hospital):
    head = hospital.users["head_med"]
    own = EmployeeFactory(department=hospital.ward, user=head)
    with pytest.raises(PermissionDenied):
        services.verify_credential(actor=head, credential=CredentialFactory(employee=own))


def test_it_clears_verification_when_a_credential_changes(hospital):
    credential = CredentialFactory(employee=hospital.nurse)
    services.verify_credential(actor=hospital.users["head_med"], credential=credential)
    changed = services.save_credential(
        actor=hospital.users["head_med"],
        credential=credential,
        data={"expiry_date": timezone.localdate() + dt.timedelta(days=700)},
    )
    assert changed.verified_at is None
    assert changed.state == Credential.State.UNVERIFIED


@pytest.mark.parametrize(
    ("expiry_in_days", "verified", "state"),
    [
        (-1, True, "expired"),
        (0, True, "expiring"),
        (30, True, "expiring"),
        (31, True, "valid"),
        (31, False, "unverified"),
    ],
)
def test_it_derives_credential_state_from_dates(hospital, expiry_in_days, verified, state):
    today = timezone.localdate()
    credential = CredentialFactory(
        employee=hospital.nurse,
        expiry_date=today + dt.timedelta(days=expiry_in_days),
        verified_by=hospital.users["admin"] if verified else None,
        verified_at=timezone.now() if verified else None,
    )
    assert credential.state == state
    annotated = Employee.objects.with_credential_state().get(pk=hospital.nurse.pk)
    assert annotated.credential_state == state


def test_it_closes_employees_whose_termination_date_has_passed(hospital):
    hospital.nurse.termination_date = timezone.localdate() - dt.timedelta(days=1)
    hospital.nurse.save()
    assert services.close_departed_employees() == 1
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.status == Employee.Status.TERMINATED
    assert services.close_departed_employees() == 0
