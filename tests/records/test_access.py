"""Who sees which departments and people: the helpers every page, API and export relies on."""

import pytest

from records import access
from records.models import Department, Employee
from tests.records.factories import DepartmentFactory, make_user

pytestmark = pytest.mark.django_db


def visible_employees(user):
    return set(Employee.objects.visible_to(user))


def test_it_gives_managers_the_whole_hospital(hospital):
    for name in ("admin", "ops"):
        user = hospital.users[name]
        assert visible_employees(user) == set(Employee.objects.all())
        assert set(Department.objects.visible_to(user)) == set(Department.objects.all())


def test_it_gives_a_head_their_department_and_its_units(hospital):
    head = hospital.users["head_med"]
    assert visible_employees(head) == {hospital.nurse, hospital.staff_employee}
    assert set(Department.objects.visible_to(head)) == {hospital.medicine, hospital.ward}


def test_it_hides_other_departments_from_a_head(hospital):
    assert hospital.surgeon not in visible_employees(hospital.users["head_med"])
    assert hospital.nurse not in visible_employees(hospital.users["head_surg"])


def test_it_covers_units_added_later(hospital):
    head = hospital.users["head_med"]
    DepartmentFactory(code="MED-5E", parent=hospital.medicine)
    access.forget(head)
    assert Department.objects.visible_to(head).filter(code="MED-5E").exists()


def test_it_keeps_a_unit_scheduler_to_the_unit(hospital):
    scheduler = hospital.users["scheduler_med"]
    assert set(Department.objects.visible_to(scheduler)) == {hospital.ward}
    assert not access.can_manage_department(scheduler, hospital.ward)


def test_it_shows_a_staff_member_only_their_own_record(hospital):
    assert visible_employees(hospital.users["staff"]) == {hospital.staff_employee}


def test_it_shows_a_board_member_no_personnel_data(hospital):
    board = hospital.users["board"]
    assert access.is_board_only(board)
    assert visible_employees(board) == set()
    assert not Department.objects.visible_to(board).exists()


def test_it_shows_finance_departments_but_not_people(hospital):
    finance = hospital.users["finance"]
    assert Department.objects.visible_to(finance).count() == Department.objects.count()
    assert visible_employees(finance) == set()


def test_it_shows_a_board_member_with_another_role_that_role(hospital):
    user = make_user(username="board_and_head", groups=[access.BOARD_MEMBER], head_of=[hospital.surgery])
    assert not access.is_board_only(user)
    assert hospital.surgeon in visible_employees(user)


def test_it_lets_heads_manage_only_their_subtree(hospital):
    head = hospital.users["head_med"]
    assert access.can_manage_department(head, hospital.ward)
    assert not access.can_manage_department(head, hospital.theatre)
    assert access.can_create_department(head, hospital.medicine)
    assert not access.can_create_department(head, None)


def test_it_names_each_role(hospital):
    assert access.role_names(hospital.users["head_med"]) == ["Department head"]
    assert access.role_names(hospital.users["staff"]) == ["Staff member"]
    assert access.role_names(hospital.users["board"]) == [access.BOARD_MEMBER]


def test_it_asks_the_database_once_per_request_for_roles(hospital, django_assert_num_queries):
    head = hospital.users["head_med"]
    access.forget(head)
    with django_assert_num_queries(3):  # groups, memberships, subtree
        for _ in range(5):
            access.visible_department_ids(head)
            access.can_manage_department(head, hospital.ward)
