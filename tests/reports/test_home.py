import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.records.factories import CredentialFactory

pytestmark = pytest.mark.django_db


def home(client, hospital, name):
    client.force_login(hospital.users[name])
    return client.get(reverse("reports:home"))


def test_it_shows_a_manager_the_hospital_figures(client, hospital):
    response = home(client, hospital, "ops")
    assert response.status_code == 200
    assert response.context["figures"]["headcount"] == 3
    assert "Headcount" in response.text


def test_it_links_figures_to_the_filtered_employee_list(client, hospital):
    response = home(client, hospital, "ops")
    assert f'{reverse("records:employee-list")}?credential_status=expired' in response.text


def test_it_counts_only_the_heads_department(client, hospital):
    CredentialFactory(employee=hospital.surgeon, expiry_date=timezone.localdate() - dt.timedelta(days=1))
    response = home(client, hospital, "head_med")
    assert response.context["figures"]["headcount"] == 2
    assert response.context["figures"]["expired"] == 0


def test_it_shows_a_scheduler_the_units_figures(client, hospital):
    response = home(client, hospital, "scheduler_med")
    assert response.context["figures"]["headcount"] == 2


def test_it_shows_a_board_member_no_personnel_figures(client, hospital):
    response = home(client, hospital, "board")
    assert response.status_code == 200
    assert "figures" not in response.context
    assert "Headcount" not in response.text
    assert "Monthly board reports will appear in the reports archive" in response.text


def test_it_shows_a_board_member_no_people_navigation(client, hospital):
    response = home(client, hospital, "board")
    assert reverse("records:employee-list") not in response.text
    assert reverse("records:department-list") not in response.text


def test_it_shows_a_finance_officer_the_department_count(client, hospital):
    response = home(client, hospital, "finance")
    assert response.context["department_count"] == 4
    assert "figures" not in response.context
    assert "finance pages" in response.text


def test_it_shows_staff_their_own_record(client, hospital):
    CredentialFactory(employee=hospital.staff_employee, expiry_date=timezone.localdate() + dt.timedelta(days=10))
    response = home(client, hospital, "staff")
    assert response.context["own"] == hospital.staff_employee
    assert "figures" not in response.context
    assert 'class="badge text-bg-warning">Expiring' in response.text
    assert hospital.staff_employee.get_absolute_url() in response.text


def test_it_shows_administrators_the_admin_link(client, hospital):
    response = home(client, hospital, "admin")
    assert reverse("admin:index") in response.text


def test_it_hides_the_admin_link_from_a_manager(client, hospital):
    response = home(client, hospital, "ops")
    assert reverse("admin:index") not in response.text


def test_it_offers_sign_out_as_a_post_form(client, hospital):
    response = home(client, hospital, "staff")
    assert f'<form method="post" action="{reverse("logout")}"' in response.text


def test_it_sends_anonymous_visitors_to_sign_in(client, hospital):
    response = client.get(reverse("reports:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_renders_the_sign_in_page(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text


def test_it_renders_the_500_page_without_context():
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")


def test_it_shows_the_lockout_page_after_five_failed_sign_ins(client, db):
    for _ in range(5):
        client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong-password"})
    assert response.status_code == 429
    assert "Too many failed sign-ins, try again in 15 minutes" in response.text
