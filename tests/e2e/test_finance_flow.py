"""A head asks to spend more than their limit, the operations manager approves, and the variance page shows
the commitment."""

import pytest

from finance.models import ExpenditureRequest
from tests.finance.conftest import books  # noqa: F401 - the fixture this flow builds on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_request_over_the_heads_limit_is_approved_by_operations_and_committed(page, sign_in, hospital, books):  # noqa: F811
    sign_in("head_med")
    page.goto("/finance/expenditures/new/")
    page.select_option("select[name=department]", str(hospital.medicine.pk))
    page.fill("input[name=month]", "2026-03")
    page.fill("input[name=vendor]", "Medline Industries")
    page.fill("textarea[name=justification]", "Isolation gowns for the winter surge")
    page.select_option("select[name=line-0-account]", str(books.supplies.pk))
    page.fill("input[name=line-0-description]", "Isolation gowns, 40 cases")
    page.fill("input[name=line-0-amount]", "6200.00")
    page.click("button:has-text('Submit request')")
    page.wait_for_url("**/finance/expenditures/*/")
    assert "waits for level 2" in page.inner_text("main")
    request = ExpenditureRequest.objects.get()
    assert request.required_level == 2
    assert page.locator("button:has-text('Approve')").count() == 0  # nobody approves their own request

    page.context.clear_cookies()
    sign_in("ops")
    page.goto(f"/finance/expenditures/{request.pk}/")
    page.click("button:has-text('Approve')")
    page.wait_for_selector("text=Approved.")
    assert page.inner_text("#status") == "Approved"

    page.goto(f"/finance/variance/?fiscal_year={books.year.pk}")
    row = page.locator("tr", has=page.locator(f"a:text-is('{hospital.medicine.code}')"))
    assert "6,200.00" in row.inner_text()
    assert page.inner_text("#committed-total") == "6,200.00"
