"""Changing a request through its page: the same service as the API's edit, lines and all."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import AmountRaise, ExpenditureRequest
from finance.services.expenditure import (
    add_attachment,
    advance_expenditure,
    approve_expenditure,
    raise_expenditure,
)
from tests.records.factories import make_user

from .conftest import expenditure_data


@pytest.fixture
def request_med(hospital, books):
    """A 6,000 request (two lines) by Medicine's head: it needs level 2."""
    return raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "4000", "2000"))


def edit_url(item):
    return f"/finance/expenditures/{item.pk}/edit/"


def post_data(books, *lines, vendor="Baxter", month="2026-03", justification="Pumps for the new bay"):
    data = {"month": month, "vendor": vendor, "justification": justification,
            "line-TOTAL_FORMS": str(len(lines) + 1), "line-INITIAL_FORMS": "0"}
    for n, (account, amount) in enumerate(lines):
        data[f"line-{n}-account"] = account.pk
        data[f"line-{n}-description"] = f"Item {n}"
        data[f"line-{n}-amount"] = amount
    return data


def snapshot(item):
    item = ExpenditureRequest.objects.get(pk=item.pk)
    return (item.vendor, item.justification, item.month, item.total, item.required_level,
            list(item.lines.values_list("account_id", "amount")), item.approvals.count(), item.history.count())


def test_the_request_page_offers_the_change_to_who_raised_it(client, hospital, request_med):
    client.force_login(hospital.users["head_med"])
    page = client.get(request_med.get_absolute_url()).content.decode()
    assert edit_url(request_med) in page


def test_the_form_shows_the_request_as_it_is(client, hospital, books, request_med):
    client.force_login(hospital.users["head_med"])
    response = client.get(edit_url(request_med))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="MedSupply Co"' in page and 'value="4000.00"' in page and 'value="2000.00"' in page
    assert 'value="2026-03"' in page


def test_a_valid_change_saves_and_keeps_the_files(client, hospital, books, request_med):
    pdf = SimpleUploadedFile("quote.pdf", b"%PDF-1.4 quote", content_type="application/pdf")
    add_attachment(request=request_med, actor=hospital.users["head_med"], upload=pdf)
    client.force_login(hospital.users["head_med"])
    response = client.post(edit_url(request_med), post_data(books, (books.equipment, "1200.50"),
                                                            (books.supplies, "300"), vendor="Baxter"))
    assert response.status_code == 302 and response["Location"] == request_med.get_absolute_url()
    item = ExpenditureRequest.objects.get(pk=request_med.pk)
    assert (item.vendor, item.total, item.required_level) == ("Baxter", Decimal("1500.50"), 1)
    assert sorted(item.lines.values_list("account__gl_code", "amount")) == [
        ("6100", Decimal("300.00")), ("7200", Decimal("1200.50"))]
    assert item.attachments.count() == 1
    assert item.history.first().history_change_reason == "changed by head_med"
    assert not AmountRaise.objects.exists()  # lowered, not raised


def test_a_manager_may_change_a_departments_request(client, hospital, books, request_med):
    client.force_login(hospital.users["ops"])
    response = client.post(edit_url(request_med), post_data(books, (books.supplies, "6000")))
    assert response.status_code == 302
    assert ExpenditureRequest.objects.get(pk=request_med.pk).vendor == "Baxter"


@pytest.mark.parametrize("bad", [
    {"vendor": ""},
    {"month": "2026-13"},
    {"month": "2031-03"},  # no fiscal period covers it
    {"line-0-amount": "-5"},
    {"line-0-amount": "abc"},
    {"line-0-account": "999999"},
    {"line-0-account": "", "line-0-amount": ""},  # no line left
    {"line-TOTAL_FORMS": "80"},
])
def test_bad_input_shows_errors_and_changes_nothing(client, hospital, books, request_med, bad):
    before = snapshot(request_med)
    client.force_login(hospital.users["head_med"])
    data = post_data(books, (books.supplies, "700"))
    data.update(bad)
    response = client.post(edit_url(request_med), data)
    assert response.status_code == 400
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    assert snapshot(request_med) == before


def test_a_closed_month_is_refused_on_the_form(client, hospital, books, request_med):
    books.year.periods.filter(month="2026-04-01").update(is_closed=True)
    before = snapshot(request_med)
    client.force_login(hospital.users["head_med"])
    response = client.post(edit_url(request_med), post_data(books, (books.supplies, "700"), month="2026-04"))
    assert response.status_code == 400
    assert "is closed" in response.content.decode()
    assert snapshot(request_med) == before


@pytest.mark.parametrize("role", ["head_surg", "board", "staff", "scheduler_med"])
def test_it_is_not_found_for_who_may_not_see_the_request(client, hospital, books, request_med, role):
    before = snapshot(request_med)
    client.force_login(hospital.users[role])
    assert client.get(edit_url(request_med)).status_code == 404
    assert client.post(edit_url(request_med), post_data(books, (books.supplies, "1"))).status_code == 404
    assert snapshot(request_med) == before


def test_finance_sees_the_request_but_does_not_change_it(client, hospital, books, request_med):
    client.force_login(hospital.users["finance"])
    assert client.get(request_med.get_absolute_url()).status_code == 200
    assert edit_url(request_med) not in client.get(request_med.get_absolute_url()).content.decode()
    assert client.get(edit_url(request_med)).status_code == 404


def test_raising_the_amount_restarts_approvals_and_bars_the_raiser(client, hospital, books, request_med):
    other_head = make_user(username="head_med2", head_of=[hospital.medicine])
    approve_expenditure(request=request_med, approver=other_head)  # level 1 of 2
    client.force_login(other_head)
    response = client.post(edit_url(request_med), post_data(books, (books.supplies, "7000")))
    assert response.status_code == 302
    item = ExpenditureRequest.objects.get(pk=request_med.pk)
    assert item.total == Decimal("7000.00") and item.approvals.count() == 0
    assert AmountRaise.objects.filter(request=item, raised_by=other_head, old_total=Decimal("6000")).exists()
    assert edit_url(item) in client.get(item.get_absolute_url()).content.decode()
    assert "expenditure-approve" not in client.get(item.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied, match="raised this request's amount"):
        approve_expenditure(request=item, approver=other_head)
    response = client.post(f"/finance/expenditures/{item.pk}/approve/", follow=True)
    assert "raised this request&#x27;s amount" in response.content.decode()
    assert ExpenditureRequest.objects.get(pk=item.pk).approvals.count() == 0


@pytest.mark.parametrize("state", ["approved", "ordered"])
def test_it_is_neither_offered_nor_accepted_once_approved(client, hospital, books, request_med, state):
    approve_expenditure(request=request_med, approver=make_user(username="head_med2", head_of=[hospital.medicine]))
    approve_expenditure(request=request_med, approver=hospital.users["ops"])
    if state == "ordered":
        advance_expenditure(request=request_med, actor=hospital.users["head_med"], to="ordered")
    before = snapshot(request_med)
    client.force_login(hospital.users["head_med"])
    assert edit_url(request_med) not in client.get(request_med.get_absolute_url()).content.decode()
    response = client.get(edit_url(request_med), follow=True)
    assert "Only a request awaiting approval can be changed." in response.content.decode()
    response = client.post(edit_url(request_med), post_data(books, (books.supplies, "1")), follow=True)
    assert "Only a request awaiting approval can be changed." in response.content.decode()
    assert snapshot(request_med) == before
