"""The chargemaster: prices never overlap, the rate on a date, and a bulk change's impact."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from finance import selectors
from finance.models import ChargeCode, ChargeRate, RateChange, ServiceVolume
from finance.services import rates
from tests.records.factories import make_user


@pytest.fixture
def codes(hospital, books):
    finance = hospital.users["finance"]
    xray = rates.create_charge_code(actor=finance, data={"code": "71045", "revenue_code": "0320",
                                                         "description": "Chest X-ray, one view",
                                                         "department": hospital.medicine})
    ct = rates.create_charge_code(actor=finance, data={"code": "74177", "revenue_code": "0350",
                                                       "description": "CT abdomen and pelvis with contrast",
                                                       "department": hospital.medicine})
    rates.set_price(actor=finance, code=xray, price=Decimal("120.00"), valid_from=dt.date(2025, 1, 1))
    rates.set_price(actor=finance, code=ct, price=Decimal("1450.00"), valid_from=dt.date(2025, 1, 1))
    return xray, ct


def test_a_new_price_ends_the_old_one_the_day_before(hospital, codes):
    xray, _ct = codes
    rates.set_price(actor=hospital.users["finance"], code=xray, price=Decimal("130"), valid_from=dt.date(2026, 7, 1))
    assert selectors.rate_on(xray, dt.date(2026, 6, 30)).price == Decimal("120.00")
    assert selectors.rate_on(xray, dt.date(2026, 7, 1)).price == Decimal("130.00")
    assert selectors.rate_on(xray, dt.date(2024, 12, 31)) is None


def test_it_refuses_an_overlapping_period_in_the_service(hospital, codes):
    xray, _ct = codes
    rate = ChargeRate(code=xray, price=1, valid_from=dt.date(2025, 6, 1), valid_to=dt.date(2025, 6, 30))
    with pytest.raises(ValidationError, match="overlaps"):
        rate.full_clean()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_the_database_refuses_an_overlapping_period(hospital, codes):
    xray, _ct = codes
    with pytest.raises(IntegrityError), transaction.atomic():
        ChargeRate.objects.create(code=xray, price=1, valid_from=dt.date(2025, 6, 1), valid_to=dt.date(2025, 6, 30))


def test_bulk_change_impact_against_a_hand_computed_fixture(hospital, codes):
    xray, ct = codes
    for month in range(1, 13):
        ServiceVolume.objects.create(code=xray, month=dt.date(2025, month, 1), quantity=100)
        ServiceVolume.objects.create(code=ct, month=dt.date(2025, month, 1), quantity=10)
    ServiceVolume.objects.create(code=xray, month=dt.date(2024, 12, 1), quantity=999)  # older than a year
    change = rates.propose_rate_change(actor=hospital.users["finance"], data={
        "percent": Decimal("4.50"), "effective_from": dt.date(2099, 1, 1),
        "department": hospital.medicine})
    change.effective_from = dt.date(2026, 1, 1)  # the volumes of 2025 are the year before
    impact = selectors.rate_change_impact(change)
    rows = {row["code"].code: row for row in impact["rows"]}
    # X-ray: 120.00 → 125.40, 1,200 a year: 6,480.00; CT: 1,450.00 → 1,515.25, 120 a year: 7,830.00
    assert rows["71045"]["new_price"] == Decimal("125.40") and rows["71045"]["impact"] == Decimal("6480.00")
    assert rows["74177"]["new_price"] == Decimal("1515.25") and rows["74177"]["impact"] == Decimal("7830.00")
    assert impact["total"] == Decimal("14310.00")


def test_a_bulk_change_takes_effect_only_when_another_finance_officer_approves(hospital, codes):
    xray, _ct = codes
    change = rates.propose_rate_change(actor=hospital.users["finance"], data={
        "percent": Decimal("10"), "effective_from": dt.date(2099, 1, 1), "code_from": "71000", "code_to": "71999"})
    assert selectors.rate_on(xray, dt.date(2099, 1, 1)).price == Decimal("120.00")
    with pytest.raises(PermissionDenied):
        rates.decide_rate_change(actor=hospital.users["finance"], change=change, approve=True)
    other = make_user(username="finance2", groups=["Finance officer"])
    rates.decide_rate_change(actor=other, change=change, approve=True)
    assert selectors.rate_on(xray, dt.date(2099, 1, 1)).price == Decimal("132.00")
    assert selectors.rate_on(xray, dt.date(2098, 12, 31)).price == Decimal("120.00")
    assert RateChange.objects.get().status == "approved"
    assert ChargeCode.objects.get(code="74177").rates.count() == 1  # outside the range


def test_only_finance_sets_prices(hospital, codes):
    with pytest.raises(PermissionDenied):
        rates.set_price(actor=hospital.users["ops"], code=codes[0], price=1, valid_from=dt.date(2026, 1, 1))
