"""Each request reads the signed-in account with its roles in one query, and never keeps them longer
than the request: a role given or taken away counts from the next request on."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records import access
from records.models import Membership
from tests.records.factories import DepartmentFactory, EmployeeFactory, make_user

pytestmark = pytest.mark.django_db


def roles_read_apart(user):
    """What the access helpers find for an account read the ordinary way (a query per question)."""
    fresh = type(user).objects.get(pk=user.pk)
    return access._groups(fresh), access._department_roles(fresh), getattr(fresh, "employee", None)


def roles_read_together(user, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = access.signed_in_user(user.pk)
        employee = getattr(found, "employee", None)
        groups, roles = access._groups(found), access._department_roles(found)
    return groups, roles, employee


def test_it_reads_groups_roles_with_their_units_and_the_record_in_one_query(hospital, django_assert_num_queries):
    five_east = DepartmentFactory(code="MED-5E", parent=hospital.medicine, kind="unit")
    user = make_user(
        username="both", groups=[access.OPERATIONS_MANAGER, access.BOARD_MEMBER],
        head_of=[hospital.medicine], scheduler_of=[hospital.theatre],
        employee=EmployeeFactory(department=hospital.ward),
    )

    groups, roles, employee = roles_read_together(user, django_assert_num_queries)

    assert groups == {access.OPERATIONS_MANAGER, access.BOARD_MEMBER}
    assert roles == {
        access.HEAD: {hospital.medicine.pk, hospital.ward.pk, five_east.pk},
        access.SCHEDULER: {hospital.theatre.pk},
    }
    assert employee == user.employee
    assert (groups, roles, employee) == roles_read_apart(user)


@pytest.mark.parametrize("name", ["admin", "ops", "finance", "board", "head_med", "head_surg", "scheduler_med",
                                  "staff"])
def test_it_finds_what_the_helpers_find_for_every_role(hospital, django_assert_num_queries, name):
    user = hospital.users[name]
    assert roles_read_together(user, django_assert_num_queries) == roles_read_apart(user)


def test_it_answers_none_for_an_unknown_account(db):
    assert access.signed_in_user(999_999) is None


def page_queries(client, url):
    client.get(url)  # the session's first request records when it was seen
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in captured]


def test_a_page_reads_the_session_and_then_the_account_with_its_roles(client, hospital):
    client.force_login(hospital.users["head_med"])
    queries = page_queries(client, reverse("records:employee-list"))
    assert "django_session" in queries[0]
    assert "auth_group" in queries[1] and "records_membership" in queries[1]
    assert not [sql for sql in queries[2:] if "auth_group" in sql or "records_membership" in sql]


def test_a_role_taken_away_counts_from_the_next_request(client, hospital):
    head = hospital.users["head_med"]
    client.force_login(head)
    url = reverse("staffing:unit-detail", args=[hospital.ward.pk])
    assert client.get(url).status_code == 200

    Membership.objects.filter(user=head).delete()

    assert client.get(url).status_code == 404


def test_a_group_given_counts_from_the_next_request(client, hospital):
    user = hospital.users["staff"]
    client.force_login(user)
    url = reverse("staffing:unit-detail", args=[hospital.theatre.pk])
    assert client.get(url).status_code == 404

    user.groups.add(Group.objects.get_or_create(name=access.OPERATIONS_MANAGER)[0])

    assert client.get(url).status_code == 200


def test_a_deactivated_account_is_signed_out(client, hospital):
    user = hospital.users["head_med"]
    client.force_login(user)
    user.is_active = False
    user.save()

    response = client.get(reverse("staffing:unit-detail", args=[hospital.ward.pk]))

    assert response.status_code == 302
