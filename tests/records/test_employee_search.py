"""The employee search finds a person however their name is typed, including as the list shows it."""

import pytest
from django.urls import reverse

from tests.records.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rogers(hospital):
    EmployeeFactory(department=hospital.ward, first_name="Anthony", last_name="Rogerson-Smith")
    EmployeeFactory(department=hospital.ward, first_name="Ann", last_name="Rogers")
    return EmployeeFactory(department=hospital.ward, first_name="Anthony", last_name="Rogers")


def found(client, hospital, q):
    client.force_login(hospital.users["head_med"])
    response = client.get(reverse("records:employee-list"), {"q": q})
    assert response.status_code == 200
    return {f"{e.last_name}, {e.first_name}" for e in response.context["page"].paginator.object_list}


@pytest.mark.parametrize("q", ["Rogers, Anthony", "Rogers,Anthony", "  rogers ,  anthony ", "Anthony Rogers"])
def test_it_finds_a_person_by_the_name_the_list_shows_or_the_usual_order(client, hospital, rogers, q):
    assert found(client, hospital, q) == {"Rogers, Anthony", "Rogerson-Smith, Anthony"}


def test_it_finds_a_person_by_parts_of_either_name(client, hospital, rogers):
    assert found(client, hospital, "rog, ant") == {"Rogers, Anthony", "Rogerson-Smith, Anthony"}
    assert found(client, hospital, "Rogers, Ann") == {"Rogers, Ann"}


def test_the_list_shows_the_name_it_is_searched_by(client, hospital, rogers):
    client.force_login(hospital.users["head_med"])
    response = client.get(reverse("records:employee-list"), {"q": "Rogers, Anthony"})
    assert "Rogers, Anthony</a>" in response.text


def test_the_api_search_understands_it_too(client, hospital, rogers):
    client.force_login(hospital.users["head_med"])
    response = client.get("/api/v1/records/employees/", {"q": "Rogers, Anthony"})
    assert response.status_code == 200
    names = {f"{row['last_name']}, {row['first_name']}" for row in response.json()["results"]}
    assert names == {"Rogers, Anthony", "Rogerson-Smith, Anthony"}
