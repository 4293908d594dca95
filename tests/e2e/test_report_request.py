"""Choosing a report on the request form swaps the period list for the one that fits it."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WEEK = re.compile(r"^\d{4}-W\d{2}$")


def period_values(page):
    return page.eval_on_selector_all("select[name=period] option", "options => options.map(o => o.value)")


def test_the_period_list_follows_the_report_chosen(page, sign_in, hospital):
    sign_in("ops")
    page.goto(reverse("reports:run-request"))
    assert not any(WEEK.match(value) for value in period_values(page))

    with page.expect_response(lambda r: "kind=activity" in r.url):
        page.select_option("select[name=kind]", "activity")
    page.wait_for_function("document.querySelector('select[name=period] optgroup') !== null")
    assert any(WEEK.match(value) for value in period_values(page))

    with page.expect_response(lambda r: "kind=board" in r.url):
        page.select_option("select[name=kind]", "board")
    page.wait_for_function("document.querySelector('select[name=period] optgroup') === null")
    assert not any(WEEK.match(value) for value in period_values(page))
    assert page.locator("label[for=id_period]").count() == 1
