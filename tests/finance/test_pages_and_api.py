"""Pages and API: scoping (another department: 404; board: nothing), input refused, query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from finance.models import Attachment, ExpenditureRequest
from finance.services.expenditure import raise_expenditure

from .conftest import expenditure_data


@pytest.fixture
def request_med(hospital, books):
    return raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "800"))


PAGES = ["finance:home", "finance:expenditure-list", "finance:budget-list", "finance:variance", "finance:ledger",
         "finance:rate-list", "finance:setup"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["finance", "ops", "head_med"])
def test_finance_pages_open_for_finance_managers_and_heads(client, hospital, books, request_med, name, role):
    from django.urls import reverse

    client.force_login(hospital.users[role])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["board", "staff", "scheduler_med"])
def test_finance_pages_are_not_found_for_others(client, hospital, books, name, role):
    from django.urls import reverse

    client.force_login(hospital.users[role])
    assert client.get(reverse(name)).status_code == 404


def test_another_departments_request_is_not_found(client, hospital, request_med):
    client.force_login(hospital.users["head_surg"])
    assert client.get(request_med.get_absolute_url()).status_code == 404
    assert client.post(f"/finance/expenditures/{request_med.pk}/approve/").status_code == 404


def test_another_departments_budget_is_not_found(client, hospital, books):
    client.force_login(hospital.users["head_surg"])
    assert client.get(books.budget.get_absolute_url()).status_code == 404


def test_a_head_raises_a_request_through_the_page(client, hospital, books):
    client.force_login(hospital.users["head_med"])
    response = client.post("/finance/expenditures/new/", {
        "department": hospital.medicine.pk, "month": "2026-03", "vendor": "Baxter", "justification": "Pumps",
        "line-TOTAL_FORMS": "3", "line-INITIAL_FORMS": "0", "line-0-account": books.equipment.pk,
        "line-0-description": "Infusion pump", "line-0-amount": "6200.00",
    })
    item = ExpenditureRequest.objects.get()
    assert response.status_code == 302 and item.required_level == 2 and item.total == Decimal("6200.00")


@pytest.mark.parametrize("amount", ["-1", "abc", "1" * 20])
def test_the_page_refuses_bad_amounts_and_saves_nothing(client, hospital, books, amount):
    client.force_login(hospital.users["head_med"])
    response = client.post("/finance/expenditures/new/", {
        "department": hospital.medicine.pk, "month": "2026-03", "vendor": "Baxter", "justification": "Pumps",
        "line-TOTAL_FORMS": "1", "line-INITIAL_FORMS": "0", "line-0-account": books.equipment.pk,
        "line-0-amount": amount,
    })
    assert response.status_code == 400 and not ExpenditureRequest.objects.exists()


def test_it_refuses_an_attachment_of_the_wrong_type(client, hospital, request_med):
    client.force_login(hospital.users["head_med"])
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(f"/finance/expenditures/{request_med.pk}/attach/", {"file": fake})
    assert not Attachment.objects.exists()
    good = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 a quote", content_type="application/pdf")
    client.post(f"/finance/expenditures/{request_med.pk}/attach/", {"file": good})
    assert Attachment.objects.get().content_type == "application/pdf"


def test_the_expenditure_list_keeps_its_query_count(client, hospital, books, django_assert_max_num_queries):
    client.force_login(hospital.users["ops"])
    raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "10"))
    with django_assert_max_num_queries(14) as one:
        client.get("/finance/expenditures/")
    for _ in range(20):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "10"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/finance/expenditures/")


def test_the_api_list_keeps_its_query_count(as_user, hospital, books, django_assert_max_num_queries):
    api = as_user("ops")
    raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "10"))
    with django_assert_max_num_queries(14) as one:
        assert api.get("/api/v1/finance/expenditures/").status_code == 200
    for _ in range(20):
        raise_expenditure(actor=hospital.users["head_med"], data=expenditure_data(hospital, books, "10"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        api.get("/api/v1/finance/expenditures/")


def test_api_scoping(as_user, hospital, request_med):
    assert as_user("head_surg").get(f"/api/v1/finance/expenditures/{request_med.pk}/").status_code == 404
    assert as_user("board").get("/api/v1/finance/expenditures/").json()["count"] == 0
    assert as_user("board").get("/api/v1/finance/budgets/").json()["count"] == 0
    assert as_user("board").get("/api/v1/finance/variance/").status_code == 404
    assert as_user("finance").get(f"/api/v1/finance/expenditures/{request_med.pk}/").status_code == 200


def test_api_approval_and_conflict(as_user, hospital, request_med):
    response = as_user("ops").post(f"/api/v1/finance/expenditures/{request_med.pk}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert as_user("ops").post(f"/api/v1/finance/expenditures/{request_med.pk}/approve/", {},
                               format="json").status_code == 409


def test_api_refuses_self_approval(as_user, request_med):
    response = as_user("head_med").post(f"/api/v1/finance/expenditures/{request_med.pk}/approve/", {}, format="json")
    assert response.status_code == 403 and "own request" in response.json()["detail"]


def test_api_raises_a_request(as_user, hospital, books):
    response = as_user("head_med").post("/api/v1/finance/expenditures/", {
        "department": hospital.medicine.pk, "month": "2026-03-01", "vendor": "Cardinal", "justification": "Gowns",
        "lines": [{"account": books.supplies.pk, "description": "Gowns", "amount": "120.00"}]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["required_level"] == 1


def test_api_ledger_import_is_idempotent(as_user, hospital, books):
    body = {"batch_id": "GL-API", "lines": [{"reference": "1", "cost_centre": hospital.medicine.cost_centre,
                                             "gl_code": "6100", "posted_on": "2026-03-03", "amount": "45.10"}]}
    assert as_user("finance").post("/api/v1/finance/ledger-import/", body, format="json").status_code == 201
    again = as_user("finance").post("/api/v1/finance/ledger-import/", body, format="json")
    assert again.status_code == 200 and again.json() == {"batch": "GL-API", "added": 0, "already_imported": 1}


def test_api_rate_on_a_date(as_user, hospital, books):
    from finance.services import rates

    code = rates.create_charge_code(actor=hospital.users["finance"], data={
        "code": "99213", "revenue_code": "0510", "description": "Office visit", "department": hospital.medicine})
    rates.set_price(actor=hospital.users["finance"], code=code, price=Decimal("95"), valid_from=dt.date(2025, 1, 1))
    rates.set_price(actor=hospital.users["finance"], code=code, price=Decimal("99"), valid_from=dt.date(2026, 1, 1))
    answer = as_user("finance").get(f"/api/v1/finance/charge-codes/{code.pk}/rate/?date=2025-12-31").json()
    assert answer["price"] == "95.00" and answer["valid_to"] == "2025-12-31"
    assert as_user("finance").get(f"/api/v1/finance/charge-codes/{code.pk}/rate/?date=nope").status_code == 400


def test_variance_page_shows_the_commitment_and_keeps_its_query_count(client, hospital, books, request_med,
                                                                     django_assert_max_num_queries):
    from finance.services.expenditure import approve_expenditure

    approve_expenditure(request=request_med, approver=hospital.users["ops"])
    client.force_login(hospital.users["head_med"])
    with django_assert_max_num_queries(30):
        response = client.get(f"/finance/variance/?fiscal_year={books.year.pk}&department={hospital.medicine.pk}")
    assert "800.00" in response.content.decode()
    assert client.get("/finance/variance/?format=xlsx").status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_finance_pages_use_each_id_once(client, hospital, books, request_med, name):
    from django.urls import reverse

    from tests.hospital_ops.test_page_markup import Page

    client.force_login(hospital.users["finance"])
    page = Page(client.get(reverse(name)).content.decode())
    assert [element for element, count in page.ids.items() if count > 1] == []
