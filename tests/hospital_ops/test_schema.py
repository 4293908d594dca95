import re

import pytest
from django.core.management import call_command
from django.urls import reverse


def test_it_builds_the_openapi_schema_without_warnings(tmp_path):
    schema = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(schema))

    assert "/api/v1/records/employees/" in schema.read_text()


@pytest.mark.django_db
def test_it_serves_the_api_docs(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_it_serves_the_api_docs_from_local_static_files_only(client):
    html = client.get(reverse("api-docs")).content.decode()
    script = client.get(reverse("api-docs"), {"script": ""}).content.decode()

    assert re.findall(r"https?://", html + script) == []
    assert re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
