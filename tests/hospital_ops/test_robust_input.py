"""Absurd input at the edges of the API and the forms is answered 400 with a reason, never 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from hospital_ops.json_input import MAX_JSON_DEPTH
from records.models import ApiToken
from tests.staffing.factories import ScheduleFactory, hospital_rules

pytestmark = pytest.mark.django_db

ABYSS = "[" * 1000 + "]" * 1000  # the parser itself cannot follow this
DEEP = '{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1)  # parseable, but absurd
JUST_DEEP_ENOUGH = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH

WRITE_ENDPOINTS = [
    ("post", "records-api:employee-list", None),
    ("post", "records-api:credential-list", None),
    ("patch", "records-api:department-detail", lambda h: h.ward),
    ("post", "staffing-api:assignment-bulk", None),
    ("post", "staffing-api:schedule-list", None),
    ("post", "staffing-api:schedule-approve", lambda h: ScheduleFactory(department=h.ward, created_by=h.users["ops"])),
    ("patch", "staffing-api:labour-rules-detail", lambda h: hospital_rules()),
    ("post", "staffing-api:time-off-list", None),
    ("post", "reports-api:run-list", None),
]


@pytest.fixture
def api(hospital):
    client = APIClient()
    client.force_login(hospital.users["ops"])
    return client


def send(client, method, name, row, body):
    url = reverse(name, args=[row.pk] if row is not None else [])
    return getattr(client, method)(url, data=body, content_type="application/json")


@pytest.mark.parametrize(("method", "name", "make_row"), WRITE_ENDPOINTS, ids=[e[1] for e in WRITE_ENDPOINTS])
def test_it_answers_json_nested_a_thousand_deep_with_400(api, hospital, method, name, make_row):
    response = send(api, method, name, make_row and make_row(hospital), ABYSS)

    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


@pytest.mark.parametrize(("method", "name", "make_row"), WRITE_ENDPOINTS, ids=[e[1] for e in WRITE_ENDPOINTS])
def test_it_refuses_parseable_but_absurd_nesting(api, hospital, method, name, make_row):
    response = send(api, method, name, make_row and make_row(hospital), DEEP)

    assert response.status_code == 400
    assert f"at most {MAX_JSON_DEPTH} levels" in response.json()["detail"]


def test_it_still_reads_json_within_the_bound(api):
    response = send(api, "post", "staffing-api:assignment-bulk", None, JUST_DEEP_ENOUGH)

    assert response.status_code == 400
    assert "nested" not in response.text  # an ordinary validation answer: the body was read


def test_it_still_answers_malformed_json_as_a_parse_error(api):
    response = send(api, "post", "records-api:employee-list", None, '{"first_name": ')

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_the_token_form_answers_deep_scopes_with_a_form_error(client, hospital):
    client.force_login(hospital.users["admin"])
    url = reverse("admin:records_apitoken_add")
    form = {"name": "Lab feed", "user": hospital.users["ops"].pk}

    abyss = client.post(url, {**form, "scopes": ABYSS})
    deep = client.post(url, {**form, "scopes": DEEP})

    assert (abyss.status_code, deep.status_code) == (200, 200)  # the form again, with its error
    assert "nested too deeply" in abyss.text and "nested too deeply" in deep.text
    assert not ApiToken.objects.exists()


def test_the_token_model_refuses_deep_scopes(hospital):
    from django.core.exceptions import ValidationError

    nested = {}
    for _level in range(MAX_JSON_DEPTH + 1):
        nested = {"records": nested}
    token = ApiToken(name="Lab feed", user=hospital.users["ops"], scopes=nested)
    token.generate_key()

    with pytest.raises(ValidationError, match="nested too deeply"):
        token.full_clean()
