import datetime as dt
from decimal import Decimal

import pytest

from finance.models import Account, AuthorisationBand, Budget, BudgetLine
from finance.services import setup

MONTH = dt.date(2026, 3, 1)


@pytest.fixture
def books(hospital):
    """Fiscal year 2026 (Jan–Dec), two years before it, accounts, the three bands, and an approved Medicine
    budget of 10,000 a month on supplies."""
    finance = hospital.users["finance"]
    year = setup.create_fiscal_year(actor=finance, data={"name": "FY2026", "start_date": dt.date(2026, 1, 1)})
    last_year = setup.create_fiscal_year(actor=finance, data={"name": "FY2025", "start_date": dt.date(2025, 1, 1)})
    supplies = Account.objects.create(gl_code="6100", name="Medical supplies", kind="supplies", is_variable=True)
    equipment = Account.objects.create(gl_code="7200", name="Minor equipment", kind="equipment")
    salaries = Account.objects.create(gl_code="5100", name="Salaries", kind="salaries")
    AuthorisationBand.objects.create(level=1, role="head", limit=Decimal("5000"))
    AuthorisationBand.objects.create(level=2, role="operations", limit=Decimal("50000"))
    AuthorisationBand.objects.create(level=3, role="finance", limit=None)
    budget = Budget.objects.create(department=hospital.medicine, fiscal_year=year, status="approved",
                                   created_by=finance, approved_by=finance)
    BudgetLine.objects.bulk_create([
        BudgetLine(budget=budget, account=supplies, month=month, amount=Decimal("10000")) for month in year.months
    ])

    class Books:
        pass

    b = Books()
    b.year, b.last_year, b.budget = year, last_year, budget
    b.supplies, b.equipment, b.salaries = supplies, equipment, salaries
    b.month = MONTH
    return b


def expenditure_data(hospital, books, *amounts, account=None, department=None):
    return {
        "department": department or hospital.medicine, "month": books.month, "vendor": "MedSupply Co",
        "justification": "Restock",
        "lines": [{"account": account or books.supplies, "description": "Gloves", "amount": Decimal(a)}
                  for a in amounts],
    }
