"""The history of a person's record, credentials and skills, read by one selector."""

from decimal import Decimal

import pytest

from records import selectors, services

pytestmark = pytest.mark.django_db


def changed(hospital, **data):
    return services.update_employee(actor=hospital.users["ops"], employee=hospital.nurse, data=data)


def test_it_names_each_change_newest_first(hospital):
    changed(hospital, fte=Decimal("0.50"))
    changed(hospital, department=hospital.medicine)
    history = selectors.employee_history(hospital.nurse, show_pay=True)
    assert [entry["action"] for entry in history] == ["changed", "changed", "created"]
    assert {"field": "department", "old": "MED-4W · Ward 4 West", "new": "MED · Medicine"} in history[0]["changes"]
    assert {"field": "FTE", "old": "1.00", "new": "0.50"} in history[1]["changes"]


def test_it_leaves_pay_out_for_those_who_may_not_see_it(hospital):
    changed(hospital, hourly_rate=Decimal("55.00"))
    with_pay = selectors.employee_history(hospital.nurse, show_pay=True)
    without_pay = selectors.employee_history(hospital.nurse, show_pay=False)
    assert with_pay[0]["changes"][0]["new"] == "55.00"
    assert [entry["action"] for entry in without_pay] == ["created"]
