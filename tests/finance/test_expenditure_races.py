"""Approval races run for real on PostgreSQL: threads behind one barrier, each on its own connection."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from finance import selectors
from finance.models import Approval, ExpenditureRequest
from finance.services.expenditure import approve_expenditure, raise_expenditure
from tests.races import race, require_connections
from tests.records.factories import make_user

from .conftest import expenditure_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under concurrency need PostgreSQL"),
]

APPROVALS = 100


def test_a_hundred_concurrent_approvals_never_overspend_the_line(hospital, books):
    """100 requests of 150 against a line of 10,000 (15,000 asked): 66 fit. All 100 approvals start together,
    one thread and one connection each; the rest are refused, each saying what is left and what it needs."""
    require_connections(APPROVALS)
    requests = [raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "150"))
                for _ in range(APPROVALS)]
    ops = hospital.users["ops"]

    outcomes = race(*[(lambda r=r: approve_expenditure(request=r, approver=ops)) for r in requests])

    approved = [o for o in outcomes if isinstance(o, ExpenditureRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(approved) + len(refused) == APPROVALS, [o for o in outcomes if not isinstance(
        o, (ExpenditureRequest, ValidationError))]
    assert len(approved) == 66
    assert {error.message_dict["reason"][0] for error in refused} == {
        "Over budget. 6100 · Medical supplies has 100.00 left in March 2026; this request needs 150.00. "
        "Write a reason to send it to level 2 (Operations manager)."}
    left = selectors.remaining(department_id=hospital.medicine.pk, account_id=books.supplies.pk, month=books.month)
    assert left == Decimal("100.00")
    assert ExpenditureRequest.objects.filter(status="approved").count() == 66
    assert Approval.objects.count() == 66
    assert ExpenditureRequest.objects.filter(status="requested").count() == 34


def test_two_approvers_at_one_level_exactly_one_wins(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "8000"))
    second_ops = make_user(username="ops2", groups=["Operations manager"])

    outcomes = race(
        lambda: approve_expenditure(request=request, approver=hospital.users["ops"]),
        lambda: approve_expenditure(request=request, approver=second_ops),
    )

    won = [o for o in outcomes if isinstance(o, ExpenditureRequest)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == "conflict" and "already approved by" in lost[0].messages[0]
    assert request.approvals.count() == 1
