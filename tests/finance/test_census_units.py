"""Patient days for inpatient units come from the facilities census when no figure was imported: the flexible
budget of a ward scales with the census, an imported figure wins, and a unit without beds is left alone."""

import datetime as dt
from decimal import Decimal

import pytest

from facilities import bed_services as s
from finance import measures
from finance.models import Budget, BudgetLine, ServiceUnits
from hospital_ops.scoping import hospital_zone
from records.models import Department
from tests.facilities.beds_helpers import beds_fixture  # noqa: F401

JANUARY = dt.date(2026, 1, 1)


def local(month, day, hour):
    return dt.datetime(2026, month, day, hour, tzinfo=hospital_zone())


@pytest.fixture
def ward_books(hospital, books, beds, settings):
    """Ward 4 West: 10,000 a month of supplies budgeted for 2 patient days in January; the census holds 3
    (a stay across two midnights and a same-day stay)."""
    settings.HOSPITAL_TIME_ZONE = "America/Chicago"
    stay = s.admit(actor=None, encounter_number="S1", mrn="M1", bed=beds["a"], at=local(1, 10, 14))
    s.discharge(actor=None, stay=stay, at=local(1, 12, 10))
    same_day = s.admit(actor=None, encounter_number="S2", mrn="M2", bed=beds["b"], at=local(1, 11, 8))
    s.discharge(actor=None, stay=same_day, at=local(1, 11, 17))
    budget = Budget.objects.create(department=hospital.ward, fiscal_year=books.year, status="approved",
                                   created_by=hospital.users["finance"], approved_by=hospital.users["finance"])
    BudgetLine.objects.bulk_create([
        BudgetLine(budget=budget, account=books.supplies, month=month, amount=Decimal("10000"))
        for month in books.year.months
    ])
    ServiceUnits.objects.create(department=hospital.ward, month=JANUARY, budgeted=2, actual=None)
    return books


def _ward_line(hospital, books):
    report = measures.variance(departments=Department.objects.filter(pk=hospital.ward.pk),
                               fiscal_year=books.year, through=JANUARY)
    [line] = report.lines
    return line


def test_an_inpatient_unit_without_imported_units_reads_the_census(hospital, ward_books):
    line = _ward_line(hospital, ward_books)
    assert line.budget_ytd == Decimal("10000")
    assert line.flex_ytd == Decimal("15000.00")  # 10,000 × 3 census patient days ÷ 2 budgeted


def test_an_imported_figure_wins_over_the_census(hospital, ward_books):
    ServiceUnits.objects.filter(department=hospital.ward).update(actual=4)
    assert _ward_line(hospital, ward_books).flex_ytd == Decimal("20000.00")


def test_a_department_without_beds_keeps_its_static_budget(hospital, books):
    ServiceUnits.objects.create(department=hospital.medicine, month=JANUARY, budgeted=1000, actual=None)
    report = measures.variance(departments=Department.objects.filter(pk=hospital.medicine.pk),
                               fiscal_year=books.year, through=JANUARY)
    [line] = report.lines
    assert line.flex_ytd == line.budget_ytd == Decimal("10000")


def test_the_census_adds_a_fixed_number_of_queries(hospital, ward_books, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):
        measures.variance(departments=Department.objects.all(), fiscal_year=ward_books.year)
