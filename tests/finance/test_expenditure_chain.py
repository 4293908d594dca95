"""The authorisation chain: bands decide who approves; the budget is checked when the last level approves."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance.models import Approval, ExpenditureRequest
from finance.services.expenditure import (
    advance_expenditure,
    approve_expenditure,
    deny_expenditure,
    raise_expenditure,
    update_expenditure,
)
from tests.records.factories import make_user

from .conftest import expenditure_data


@pytest.mark.parametrize(("amount", "level"), [("100", 1), ("5000", 1), ("5000.01", 2), ("50000", 2), ("50001", 3)])
def test_each_amount_needs_the_level_of_its_band(hospital, books, amount, level):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, amount))
    assert request.required_level == level


def test_a_head_approves_within_their_band(hospital, books):
    other_head = make_user(username="head_med2", head_of=[hospital.medicine])
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "1200"))
    approve_expenditure(request=request, approver=other_head)
    request.refresh_from_db()
    assert request.status == ExpenditureRequest.Status.APPROVED


def test_it_refuses_self_approval(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    with pytest.raises(PermissionDenied, match="own request"):
        approve_expenditure(request=request, approver=hospital.users["head_med"])


def test_it_refuses_an_approver_who_raised_the_amount(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    update_expenditure(actor=hospital.users["ops"], request=request,
                       data={"lines": expenditure_data(hospital, books, "900")["lines"]})
    with pytest.raises(PermissionDenied, match="raised this request's amount"):
        approve_expenditure(request=request, approver=hospital.users["ops"])


def test_a_head_cannot_approve_above_their_band(hospital, books):
    other_head = make_user(username="head_med2", head_of=[hospital.medicine])
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "8000"))
    approve_expenditure(request=request, approver=other_head)  # level 1 of 2
    request.refresh_from_db()
    assert request.status == ExpenditureRequest.Status.REQUESTED
    assert list(request.approvals.values_list("level", flat=True)) == [1]
    approve_expenditure(request=request, approver=hospital.users["ops"])
    request.refresh_from_db()
    assert request.status == ExpenditureRequest.Status.APPROVED
    assert list(request.approvals.values_list("level", flat=True)) == [1, 2]


def test_a_head_of_another_department_holds_no_level(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    with pytest.raises(PermissionDenied):
        approve_expenditure(request=request, approver=hospital.users["head_surg"])


def test_over_budget_needs_a_reason_and_goes_to_the_next_level(hospital, books):
    other_head = make_user(username="head_med2", head_of=[hospital.medicine])
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "2000"))
    raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "4500"))
    approve_expenditure(request=ExpenditureRequest.objects.get(total=Decimal("4500")), approver=other_head)
    # 10,000 budget: 4,500 committed, 2,000 more is fine; then a 4,000 request overspends
    approve_expenditure(request=request, approver=other_head)
    third = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "4000"))
    with pytest.raises(ValidationError, match="Over budget.*3,500.00 left.*needs 4,000.00.*level 2"):
        approve_expenditure(request=third, approver=other_head)
    approve_expenditure(request=third, approver=other_head, reason="Flu season: glove use doubled")
    third.refresh_from_db()
    assert third.status == ExpenditureRequest.Status.REQUESTED
    assert third.required_level == 2 and third.escalation_reason.startswith("Flu season")
    approve_expenditure(request=third, approver=hospital.users["ops"], reason="Agreed, recover in Q3")
    third.refresh_from_db()
    assert third.status == ExpenditureRequest.Status.APPROVED


def test_one_approval_per_level_in_the_database(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    Approval.objects.create(request=request, level=1, approver=hospital.users["ops"])
    with pytest.raises(Exception):  # noqa: B017 - the unique constraint, whatever the backend calls it
        Approval.objects.create(request=request, level=1, approver=hospital.users["finance"])


def test_a_second_approval_is_a_conflict_naming_the_winner(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    approve_expenditure(request=request, approver=hospital.users["ops"])
    second_ops = make_user(username="ops2", groups=["Operations manager"])
    with pytest.raises(ValidationError, match="already approved by ops") as caught:
        approve_expenditure(request=request, approver=second_ops)
    assert caught.value.code == "conflict"


def test_approved_then_ordered_received_paid(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    approve_expenditure(request=request, approver=hospital.users["ops"])
    advance_expenditure(request=request, actor=hospital.users["head_med"], to="ordered")
    advance_expenditure(request=request, actor=hospital.users["head_med"], to="received")
    with pytest.raises(PermissionDenied):
        advance_expenditure(request=request, actor=hospital.users["head_med"], to="paid")
    advance_expenditure(request=request, actor=hospital.users["finance"], to="paid")
    request.refresh_from_db()
    assert request.status == "paid"
    reasons = list(request.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[0] == "raised" and reasons[-1] == "paid (finance)"


def test_it_refuses_skipping_a_step(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    approve_expenditure(request=request, approver=hospital.users["ops"])
    with pytest.raises(ValidationError):
        advance_expenditure(request=request, actor=hospital.users["finance"], to="paid")


def test_a_denial_needs_a_reason(hospital, books):
    request = raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))
    with pytest.raises(ValidationError):
        deny_expenditure(request=request, approver=hospital.users["ops"], reason=" ")
    deny_expenditure(request=request, approver=hospital.users["ops"], reason="Use stock from stores")
    request.refresh_from_db()
    assert request.status == "denied"


def test_it_refuses_a_closed_month(hospital, books):
    period = books.year.periods.get(month=books.month)
    period.is_closed = True
    period.save()
    with pytest.raises(ValidationError, match="closed"):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "100"))


@pytest.mark.parametrize("amount", ["0", "-5", "1e20"])
def test_it_refuses_absurd_amounts(hospital, books, amount):
    with pytest.raises(ValidationError):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, amount))
    assert not ExpenditureRequest.objects.exists()


def test_raising_notifies_the_next_level(hospital, books, mailoutbox, django_capture_on_commit_callbacks):
    make_user(username="head_med2", head_of=[hospital.medicine], email="head2@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "8000"))
    assert [m.to for m in mailoutbox] == [["head2@example.org"]]
    assert "Expenditure to approve" in mailoutbox[0].subject


def test_with_no_other_head_the_next_level_up_is_told(hospital, books, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "8000"))
    assert [m.to for m in mailoutbox] == [["ops@example.org"]]
