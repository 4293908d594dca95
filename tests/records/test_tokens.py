import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from records.models import ApiToken, Skill
from tests.records.factories import make_token

pytestmark = pytest.mark.django_db

EMPLOYEES = reverse("records-api:employee-list")
SKILLS = reverse("records-api:skill-list")


def client_with(key, keyword="Token"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_it_reads_with_a_read_token(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key).get(EMPLOYEES)

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_it_refuses_a_write_with_a_read_token(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key).post(SKILLS, {"code": "PALS", "name": "Paediatric life support"})

    assert response.status_code == 403
    assert not Skill.objects.filter(code="PALS").exists()


def test_it_refuses_a_patch_with_a_read_token(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key).patch(
        reverse("records-api:employee-detail", args=[hospital.nurse.pk]), {"fte": "0.5"}, format="json"
    )

    assert response.status_code == 403
    hospital.nurse.refresh_from_db()
    assert hospital.nurse.fte == 1


def test_it_writes_with_a_write_token_as_its_user(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "write"})

    response = client_with(key).post(SKILLS, {"code": "PALS", "name": "Paediatric life support"})

    assert response.status_code == 201
    assert Skill.objects.get(code="PALS").history.get().history_user == hospital.users["ops"]


def test_it_refuses_a_token_without_the_records_scope(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"staffing": "write"})

    response = client_with(key).get(EMPLOYEES)

    assert response.status_code == 403


def test_it_refuses_a_revoked_token(hospital):
    token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})
    token.revoked_at = timezone.now()
    token.save()

    response = client_with(key).get(EMPLOYEES)

    assert response.status_code == 401


def test_it_refuses_an_expired_token(hospital):
    token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})
    token.expires_at = timezone.now() - dt.timedelta(minutes=1)
    token.save()

    response = client_with(key).get(EMPLOYEES)

    assert response.status_code == 401


def test_it_refuses_an_unknown_key(hospital):
    response = client_with("abcd1234.not-a-real-key").get(EMPLOYEES)

    assert response.status_code == 401


def test_it_refuses_a_header_without_a_key(hospital):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token")

    response = client.get(EMPLOYEES)

    assert response.status_code == 401


def test_it_ignores_another_scheme_and_refuses_the_anonymous_request(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key, keyword="Basic").get(EMPLOYEES)

    assert response.status_code == 401


def test_it_accepts_the_bearer_keyword(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key, keyword="Bearer").get(EMPLOYEES)

    assert response.status_code == 200


def test_it_scopes_a_tokens_data_by_its_users_roles(hospital):
    _token, key = make_token(user=hospital.users["head_med"], scopes={"records": "read"})

    response = client_with(key).get(reverse("records-api:employee-detail", args=[hospital.surgeon.pk]))

    assert response.status_code == 404


def test_it_opens_the_api_root_with_the_records_scope(hospital):
    _token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    response = client_with(key).get(reverse("records-api:api-root"))

    assert response.status_code == 200


def test_it_records_when_a_token_was_last_used(hospital):
    token, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})

    client_with(key).get(EMPLOYEES)

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_creates_a_token_from_the_command_and_prints_its_key(hospital):
    out = StringIO()

    call_command(
        "create_api_token",
        "--user=head_med",
        "--name=EHR feed",
        "--scope=records=read",
        "--scope=staffing=write",
        stdout=out,
        stderr=StringIO(),
    )

    key = out.getvalue().strip()
    token = ApiToken.objects.get(name="EHR feed")
    assert token.key_hash == ApiToken.hash_key(key)
    assert token.scopes == {"records": "read", "staffing": "write"}
    assert token.user == hospital.users["head_med"]


def test_it_lets_a_command_token_read_the_api(hospital):
    out = StringIO()
    call_command("create_api_token", "--user=ops", "--name=BI", "--scope=records=read", stdout=out, stderr=StringIO())

    response = client_with(out.getvalue().strip()).get(EMPLOYEES)

    assert response.status_code == 200


def test_it_refuses_an_unknown_app_in_the_command(hospital):
    with pytest.raises(CommandError, match="Unknown app"):
        call_command("create_api_token", "--user=ops", "--name=BI", "--scope=payroll=read", stderr=StringIO())

    assert not ApiToken.objects.exists()


def test_it_refuses_a_scope_without_a_level_in_the_command(hospital):
    with pytest.raises(CommandError, match="app=read"):
        call_command("create_api_token", "--user=ops", "--name=BI", "--scope=records", stderr=StringIO())


def test_it_refuses_an_unknown_user_in_the_command(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "--user=nobody", "--name=BI", "--scope=records=read", stderr=StringIO())


def test_it_sets_an_expiry_from_the_command(hospital):
    call_command(
        "create_api_token",
        "--user=ops",
        "--name=BI",
        "--scope=records=read",
        "--expires-in-days=30",
        stdout=StringIO(),
        stderr=StringIO(),
    )

    token = ApiToken.objects.get()
    assert token.expires_at > timezone.now() + dt.timedelta(days=29)
