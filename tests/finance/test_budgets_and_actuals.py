"""Budgets (grid, import all-or-nothing, copy with uplift, phasing, approval) and ledger imports."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from finance.models import Budget, BudgetLine, LedgerLine
from finance.services import actuals, budgets

FIRST = dt.date(2026, 1, 1)


@pytest.fixture
def draft(hospital, books):
    return budgets.create_budget(actor=hospital.users["head_surg"],
                                 data={"department": hospital.surgery, "fiscal_year": books.year})


def test_a_head_cannot_prepare_another_departments_budget(hospital, books):
    with pytest.raises(PermissionDenied):
        budgets.create_budget(actor=hospital.users["head_med"],
                              data={"department": hospital.surgery, "fiscal_year": books.year})


def test_the_grid_writes_each_cell_once(hospital, books, draft):
    cells = {(books.supplies.pk, FIRST): "1200.50", (books.equipment.pk, FIRST): "300"}
    budgets.set_budget_lines(actor=hospital.users["head_surg"], budget=draft, cells=cells)
    budgets.set_budget_lines(actor=hospital.users["head_surg"], budget=draft, cells={(books.supplies.pk, FIRST): "99"})
    assert draft.lines.count() == 2
    assert draft.lines.get(account=books.supplies).amount == Decimal("99.00")


def test_an_import_with_bad_rows_writes_nothing_and_lists_every_one(hospital, books, draft):
    rows = [
        {"gl_code": "6100", "month": "2026-01", "amount": "100"},
        {"gl_code": "9999", "month": "2026-01", "amount": "100"},
        {"gl_code": "6100", "month": "2027-05", "amount": "-3"},
        {"gl_code": "7200", "month": "2026-02", "amount": "lots"},
    ]
    with pytest.raises(ValidationError) as caught:
        budgets.import_budget(actor=hospital.users["head_surg"], budget=draft, rows=rows)
    messages = caught.value.messages
    assert len(messages) == 3
    assert messages[0].startswith("Row 3: unknown or closed account '9999'")
    assert "Row 4" in messages[1] and "not in FY2026" in messages[1] and "amounts run from 0" in messages[1]
    assert messages[2].startswith("Row 5: 'lots' is not an amount")
    assert not draft.lines.exists()


def test_a_good_import_writes_every_row(hospital, books, draft):
    rows = [{"gl_code": "6100", "month": f"2026-{m:02d}", "amount": "1,000.00"} for m in range(1, 13)]
    budgets.import_budget(actor=hospital.users["head_surg"], budget=draft, rows=rows)
    assert draft.lines.count() == 12


def test_it_copies_last_years_actuals_with_an_uplift(hospital, books, draft):
    actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-2025-03", rows=[
        {"reference": "1", "cost_centre": hospital.surgery.cost_centre, "gl_code": "6100", "posted_on": "2025-03-10",
         "amount": "1000.00"},
        {"reference": "2", "cost_centre": hospital.surgery.cost_centre, "gl_code": "6100", "posted_on": "2025-03-20",
         "amount": "500.00"},
    ])
    budgets.copy_last_year(actor=hospital.users["head_surg"], budget=draft, source="actuals", uplift_percent="3")
    assert draft.lines.get(account=books.supplies, month=dt.date(2026, 3, 1)).amount == Decimal("1545.00")


def test_it_phases_an_annual_figure_evenly_to_the_cent(hospital, books, draft):
    budgets.phase_annual(actor=hospital.users["head_surg"], budget=draft, account=books.equipment, annual="1000")
    amounts = list(draft.lines.order_by("month").values_list("amount", flat=True))
    assert len(amounts) == 12 and sum(amounts) == Decimal("1000.00")
    assert amounts[0] == Decimal("83.33") and amounts[-1] == Decimal("83.37")


def test_submit_then_finance_approves_and_supersedes(hospital, books, draft):
    budgets.phase_annual(actor=hospital.users["head_surg"], budget=draft, account=books.equipment, annual="1200")
    budgets.submit_budget(actor=hospital.users["head_surg"], budget=draft)
    with pytest.raises(PermissionDenied):
        budgets.decide_budget(actor=hospital.users["head_surg"], budget=draft, approve=True)
    budgets.decide_budget(actor=hospital.users["finance"], budget=draft, approve=True)
    second = budgets.create_budget(actor=hospital.users["head_surg"],
                                   data={"department": hospital.surgery, "fiscal_year": books.year})
    assert second.version == 2 and second.lines.count() == 12  # a reforecast starts from the approved figures
    budgets.submit_budget(actor=hospital.users["head_surg"], budget=second)
    budgets.decide_budget(actor=hospital.users["finance"], budget=second, approve=True)
    draft.refresh_from_db()
    assert draft.status == Budget.Status.SUPERSEDED


def test_budget_lines_are_unique_per_account_and_month(hospital, books, draft):
    BudgetLine.objects.create(budget=draft, account=books.supplies, month=FIRST, amount=1)
    with pytest.raises(Exception):  # noqa: B017 - the database's unique constraint
        BudgetLine.objects.create(budget=draft, account=books.supplies, month=FIRST, amount=2)


def _ledger(hospital, *refs, day="2026-03-05"):
    return [{"reference": ref, "cost_centre": hospital.medicine.cost_centre, "gl_code": "6100", "posted_on": day,
             "amount": "10.00"} for ref in refs]


def test_a_ledger_batch_imported_twice_counts_once(hospital, books):
    first = actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-1", rows=_ledger(hospital, "a", "b"))
    again = actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-1",
                                  rows=_ledger(hospital, "a", "b", "c"))
    assert (first["added"], again["added"], again["already_imported"]) == (2, 1, 2)
    assert LedgerLine.objects.count() == 3


def test_a_posting_to_a_closed_period_is_refused_with_the_rest(hospital, books):
    books.year.periods.filter(month=dt.date(2026, 2, 1)).update(is_closed=True)
    rows = _ledger(hospital, "a") + _ledger(hospital, "b", day="2026-02-14")
    with pytest.raises(ValidationError, match="Row 3: the period of 2026-02-14 is closed"):
        actuals.import_ledger(actor=hospital.users["finance"], batch_id="GL-2", rows=rows)
    assert not LedgerLine.objects.exists()


def test_only_finance_imports_the_ledger(hospital, books):
    with pytest.raises(PermissionDenied):
        actuals.import_ledger(actor=hospital.users["ops"], batch_id="GL-3", rows=_ledger(hospital, "a"))
