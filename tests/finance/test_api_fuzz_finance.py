"""The finance operations of the OpenAPI document, called with generated requests as finance, an operations
manager and a department head: no server error, and every answer as documented."""

import datetime as dt
from decimal import Decimal

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from finance.services import rates
from finance.services.expenditure import raise_expenditure
from records.models import ApiToken
from tests.hospital_ops.test_api_fuzz import CHECKS, EXAMPLES, same_connection
from tests.records.factories import make_token

from .conftest import expenditure_data


@pytest.fixture
def filled(hospital, books):
    raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "800"))
    code = rates.create_charge_code(actor=hospital.users["finance"], data={
        "code": "99213", "revenue_code": "0510", "description": "Office visit", "department": hospital.medicine})
    rates.set_price(actor=hospital.users["finance"], code=code, price=Decimal("95"), valid_from=dt.date(2025, 1, 1))
    return hospital


def finance_failures(user) -> list[str]:
    _token, key = make_token(user=user, scopes={app: ApiToken.Access.WRITE for app in ApiToken.APPS})
    headers = {"Authorization": f"Token {key}"}
    failures = []
    with same_connection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application(), headers=headers)
        for result in schema.get_all_operations():
            operation = result.ok()
            if "/api/v1/finance/" not in operation.label:
                continue

            @hypothesis_settings(
                max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy())
            def call(case):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                call()
            except (Exception, BaseExceptionGroup) as failure:  # collected: every operation that breaks is listed
                failures.append(f"{operation.label}: {failure}")
    return failures


@pytest.mark.parametrize("role", ["finance", "ops", "head_med"])
def test_every_finance_operation_keeps_to_the_schema(filled, role):
    failures = finance_failures(filled.users[role])
    assert not failures, "\n\n".join(failures)
