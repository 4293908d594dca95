"""A department head, in a real browser: filter employees, open one, and find the other department shut."""

import pytest

from tests.records.factories import EmployeeFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_head_filters_opens_an_employee_and_is_kept_out_of_surgery(hospital, page, sign_in, live_server):
    for n in range(3):
        EmployeeFactory(department=hospital.ward, first_name=f"Ward{n}", last_name=f"Walker{n}")
    sign_in("head_med")

    page.goto("/records/employees/")
    assert page.locator("table").get_by_text("Nightingale").count() == 1
    assert page.locator("table").get_by_text("Sutures").count() == 0  # Surgery's people are not listed

    page.fill("#id_q", "Nightingale")
    page.keyboard.press("Enter")
    page.wait_for_url("**/records/employees/?*q=Nightingale*")
    page.wait_for_function("() => !document.body.innerText.includes('Walker1')")
    rows = page.locator("table tbody tr")
    assert rows.count() == 1

    rows.first.get_by_role("link").first.click()
    page.wait_for_url(f"**/records/employees/{hospital.nurse.pk}/")
    assert "Nora Nightingale" in page.content()

    response = page.goto(f"/records/employees/{hospital.surgeon.pk}/")
    assert response.status == 404
    assert "Sutures" not in page.content()
