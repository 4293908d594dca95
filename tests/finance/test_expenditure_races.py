"""Approval races run for real on PostgreSQL: threads with a barrier, each on its own connection."""

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from finance import selectors
from finance.models import ExpenditureRequest
from finance.services.expenditure import approve_expenditure, raise_expenditure
from tests.records.factories import make_user

from .conftest import expenditure_data

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks under concurrency need PostgreSQL"),
]

WORKERS = 20  # connections at once: the shared server has room for these, not for 100


def test_a_hundred_concurrent_approvals_never_overspend_the_line(hospital, books):
    """100 requests of 150 against a line of 10,000: 66 fit. All approvals start together."""
    requests = [raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "150"))
                for _ in range(100)]
    barrier = threading.Barrier(WORKERS)
    started = threading.local()

    def approve(request):
        if not getattr(started, "done", False):
            barrier.wait()
            started.done = True
        try:
            return approve_expenditure(request=request, approver=hospital.users["ops"])
        except ValidationError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(approve, requests))
    approved = [o for o in outcomes if isinstance(o, ExpenditureRequest)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(approved) + len(refused) == 100, outcomes
    assert len(approved) == 66
    assert all("Over budget" in error.messages[0] and "needs 150.00" in error.messages[0] for error in refused)
    left = selectors.remaining(department_id=hospital.medicine.pk, account_id=books.supplies.pk, month=books.month)
    assert left == Decimal("100.00")
    assert ExpenditureRequest.objects.filter(status="approved").count() == 66


def test_two_approvers_at_one_level_exactly_one_wins(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "8000"))
    second_ops = make_user(username="ops2", groups=["Operations manager"])
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def run(index, user):
        try:
            barrier.wait()
            outcomes[index] = approve_expenditure(request=request, approver=user)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, u)) for i, u in enumerate([hospital.users["ops"], second_ops])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    won = [o for o in outcomes if isinstance(o, ExpenditureRequest)]
    lost = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert lost[0].code == "conflict" and "already approved by" in lost[0].messages[0]
    assert request.approvals.count() == 1
