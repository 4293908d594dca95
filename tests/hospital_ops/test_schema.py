import re

import pytest
from django.core.management import call_command
from django.urls import reverse


def test_it_builds_the_openapi_schema_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert "/api/v1/records/employees/" in schema.read_text()


@pytest.mark.django_db
def test_it_serves_the_api_docs_to_someone_signed_in(client, hospital):
    client.force_login(hospital.users["head_med"])
    assert client.get(reverse("api-docs")).status_code == 200
    assert client.get(reverse("api-schema")).status_code == 200


@pytest.mark.django_db
def test_it_keeps_the_schema_and_docs_from_anonymous_callers(client):
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    assert client.get(reverse("api-docs")).status_code in (401, 403)


@pytest.mark.django_db
def test_it_serves_the_schema_to_an_api_token(client, hospital):
    from tests.records.factories import make_token

    _, key = make_token(user=hospital.users["ops"], scopes={"records": "read"})
    response = client.get(reverse("api-schema"), headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_serves_the_api_docs_from_local_static_files_only(client, hospital):
    client.force_login(hospital.users["ops"])
    html = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs"), {"script": ""}).content.decode()

    assert re.findall(r"https?://", html + script) == []
    assert re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert "<style" not in html and "<script>" not in html  # nothing the Content-Security-Policy would block
