"""Health check, request logging and session lifetimes."""

import logging

import pytest
import time_machine
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_reports_health(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_it_reports_an_unreachable_redis(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}


def test_it_logs_each_request_with_an_id_and_no_query_string(client, caplog, hospital):
    client.force_login(hospital.users["ops"])
    with caplog.at_level(logging.INFO, logger="hospital_ops.requests"):
        response = client.get("/healthz?q=Nightingale")
    line = caplog.records[-1].getMessage()
    assert f"request_id={response['X-Request-ID']}" in line
    assert "path=/healthz " in line and "status=200" in line
    assert f"user={hospital.users['ops'].pk}" in line
    assert "Nightingale" not in line


def test_it_keeps_a_well_formed_incoming_request_id(client):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-1234abcd"})
    assert response["X-Request-ID"] == "lb-1234abcd"


def test_it_answers_404_with_a_plain_page(client, hospital):
    client.force_login(hospital.users["ops"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Nightingale" not in response.content


class TestSessionLifetime:
    def sign_in(self, client, user):
        client.force_login(user)
        assert client.get(reverse("reports:home")).status_code == 200

    def test_it_ends_a_session_after_30_minutes_idle(self, client, hospital):
        with time_machine.travel("2026-03-02 08:00", tick=False) as clock:
            self.sign_in(client, hospital.users["ops"])
            clock.shift(29 * 60)
            assert client.get(reverse("reports:home")).status_code == 200
            clock.shift(31 * 60)
            response = client.get(reverse("reports:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "_auth_user_id" not in client.session

    def test_it_ends_a_session_12_hours_after_sign_in(self, client, hospital):
        with time_machine.travel("2026-03-02 08:00", tick=False) as clock:
            self.sign_in(client, hospital.users["ops"])
            for _ in range(12 * 3 + 1):  # active every 20 minutes all day, and then some
                clock.shift(20 * 60)
                client.get("/healthz")
                client.get(reverse("reports:home"))
            response = client.get(reverse("reports:home"))
        assert response.status_code == 302


class TestLoginThrottling:
    def test_it_locks_a_username_after_five_failures(self, client, hospital):
        url = reverse("login")
        for _ in range(5):
            client.post(url, {"username": "ops", "password": "wrong"})
        hospital.users["ops"].set_password("the-right-password-1")
        hospital.users["ops"].save()
        response = client.post(url, {"username": "ops", "password": "the-right-password-1"})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_it_signs_in_with_the_right_password(self, client, hospital):
        hospital.users["ops"].set_password("the-right-password-1")
        hospital.users["ops"].save()
        response = client.post(reverse("login"), {"username": "ops", "password": "the-right-password-1"})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(hospital.users["ops"].pk)
