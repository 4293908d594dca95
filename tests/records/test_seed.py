import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from records import access
from records.demo import DEMO_LOGINS, DEMO_PASSWORD
from records.models import Credential, CredentialType, Department, Employee, JobTitle, Skill

pytestmark = pytest.mark.django_db


def seed(*args):
    call_command("seed_demo", "--scale", "small", "--seed", "7", *args, verbosity=0)


@pytest.fixture
def seeded():
    seed()


def login(username):
    return get_user_model().objects.get(username=username)


def people():
    return list(Employee.objects.order_by("employee_number").values_list("employee_number", "first_name", "last_name"))


def test_it_builds_the_same_hospital_from_the_same_seed(seeded):
    first = people()
    seed("--flush")
    assert people() == first
    assert len(first) == 150


def test_it_builds_a_small_tree_of_departments(seeded):
    departments = list(Department.objects.select_related("parent"))
    assert 8 <= len(departments) <= 14
    for department in departments:
        expected = f"{department.parent.path if department.parent else '/'}{department.pk}/"
        assert department.path == expected
    assert Department.objects.filter(parent__code="MED", kind=Department.Kind.UNIT).exists()


def test_it_appoints_a_head_in_every_department(seeded):
    assert not Department.objects.filter(head__isnull=True).exists()
    assert all(d.head.department_id == d.pk for d in Department.objects.select_related("head"))


def test_it_gives_every_demo_login_its_role(seeded):
    medicine, surgery, ward = (Department.objects.get(code=code) for code in ("MED", "SURG", "MED-4W"))
    assert access.is_administrator(login("admin")) and login("admin").is_staff
    assert access.is_hospital_wide(login("ops")) and not access.is_administrator(login("ops"))
    assert access.department_ids(login("head"), access.HEAD) >= {medicine.pk, ward.pk}
    assert surgery.pk not in access.department_ids(login("head"))
    assert surgery.pk in access.department_ids(login("head.surgery"), access.HEAD)
    assert access.department_ids(login("scheduler"), access.SCHEDULER) == {ward.pk}
    assert access.is_finance_officer(login("finance")) and not access.is_hospital_wide(login("finance"))
    assert access.role_names(login("staff")) == ["Staff member"]
    assert access.is_board_only(login("board"))


def test_it_uses_the_shared_demo_password(seeded):
    assert all(login(username).check_password(DEMO_PASSWORD) for username in DEMO_LOGINS)


def test_it_links_logins_to_employee_records(seeded):
    medicine = Department.objects.get(code="MED")
    assert medicine.head == login("head").employee
    assert Department.objects.get(code="SURG").head == login("head.surgery").employee
    assert login("scheduler").employee.department.code == "MED-4W"
    assert login("staff").employee.department.code == "MED-4W"


def test_it_respects_every_model_rule(seeded):
    for model in (Department, JobTitle, Skill, CredentialType, Employee, Credential):
        rows = list(model.objects.all())
        assert rows, f"the demo has no {model._meta.verbose_name_plural}"
        for obj in rows:
            obj.full_clean()  # raises on the first row that breaks a rule


def test_it_keeps_terminations_after_hiring(seeded):
    terminated = Employee.objects.filter(status=Employee.Status.TERMINATED)
    assert terminated.exists()
    assert all(e.termination_date >= e.hire_date for e in terminated)


def test_it_produces_credentials_in_every_state(seeded):
    states = {credential.state for credential in Credential.objects.all()}
    assert states == set(Credential.State.values)


def test_it_gives_everyone_skills_and_credentials(seeded):
    assert not Employee.objects.filter(employee_skills__isnull=True).exists()
    assert not Employee.objects.filter(credentials__isnull=True).exists()


def test_it_does_nothing_with_if_empty_on_a_seeded_database(seeded):
    before = list(Employee.objects.values_list("pk", flat=True))
    seed("--if-empty")
    assert list(Employee.objects.values_list("pk", flat=True)) == before


def test_it_refuses_to_seed_over_existing_data(seeded):
    with pytest.raises(CommandError, match="--flush"):
        seed()


def test_it_leaves_an_existing_account_named_like_a_demo_login_alone():
    admin = get_user_model().objects.create_user(username="admin", password="the-real-admin-password")
    seed("--if-empty")
    admin.refresh_from_db()
    assert admin.check_password("the-real-admin-password")
    assert not Department.objects.exists()
