"""Demo data for finance: two fiscal years (the last and this calendar year), a chart of accounts, the
authorisation bands, approved budgets for every department, a year and a half of ledger lines (about 100,000
at the large scale, bulk inserted), units of service, expenditure requests in every state (some over budget,
waiting at the next level), and a chargemaster of a few hundred codes with last year's volumes and a pending
bulk change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from records.demo import DemoContext
from records.models import Department

from .models import (
    Account,
    Approval,
    AuthorisationBand,
    Budget,
    BudgetLine,
    ChargeCode,
    ChargeRate,
    ExpenditureLine,
    ExpenditureRequest,
    FiscalYear,
    LedgerBatch,
    LedgerLine,
    PayPolicy,
    Period,
    RateChange,
    ServiceUnits,
    ServiceVolume,
)
from .services.setup import add_months

CENT = Decimal("0.01")
# gl code, name, kind, variable, monthly base per 10 staff-weight
ACCOUNTS = [
    ("4000", "Inpatient revenue", "revenue", True, 0),
    ("4100", "Outpatient revenue", "revenue", True, 0),
    ("5100", "Salaries and wages", "salaries", False, 42000),
    ("5150", "Overtime and agency", "salaries", True, 3500),
    ("5200", "Employee benefits", "benefits", False, 11000),
    ("6100", "Medical and surgical supplies", "supplies", True, 6500),
    ("6150", "Office supplies", "supplies", False, 400),
    ("6200", "Pharmaceuticals", "drugs", True, 5200),
    ("7200", "Minor equipment", "equipment", False, 1200),
    ("7400", "Equipment maintenance", "services", False, 900),
    ("7600", "Purchased services", "services", False, 1800),
    ("7900", "Travel and training", "other", False, 350),
]
UNITS = {"unit": "patient days", "diagnostic": "exams", "clinical": "visits", "support": "work orders",
         "administrative": "FTE served"}
LEDGER_LINES = {"small": 6_000, "large": 100_000}
CODES = {"small": 240, "large": 400}
VENDORS = ["Medline Industries", "Cardinal Health", "Owens & Minor", "Baxter Healthcare", "B. Braun", "Stryker",
           "GE HealthCare", "Philips Healthcare", "McKesson", "Henry Schein", "Steris", "3M Health Care"]
CODE_FAMILIES = [  # prefix, description, department code, revenue code, price range
    ("710", "Radiologic examination, chest", "RAD", "0320", (90, 260)),
    ("741", "CT abdomen and pelvis", "RAD", "0350", (900, 2400)),
    ("805", "Laboratory panel", "LAB", "0300", (25, 180)),
    ("992", "Office or outpatient visit", "MED", "0510", (80, 320)),
    ("993", "Emergency department visit", "ED", "0450", (150, 1400)),
    ("274", "Orthopaedic procedure", "SURG", "0360", (2200, 14000)),
]


def _weight(ctx: DemoContext, department: Department) -> Decimal:
    return Decimal(ctx.data.get("headcount_weights", {}).get(department.code, 3) or 3) / 3


def build_setup(ctx: DemoContext) -> None:
    this_year = ctx.today.year
    years = []
    for year in (this_year - 1, this_year):
        fiscal = FiscalYear.objects.create(name=f"FY{year}", start_date=dt.date(year, 1, 1),
                                           end_date=dt.date(year, 12, 31))
        years.append(fiscal)
    last_closed = add_months(ctx.today.replace(day=1), -2)
    Period.objects.bulk_create([  # open until the ledger and labour cost are posted (build_ledger closes them)
        Period(fiscal_year=fiscal, number=n, month=month, is_closed=False)
        for fiscal in years for n, month in enumerate(fiscal.months, start=1)
    ])
    ctx.data["last_closed"] = last_closed
    accounts = ctx.bulk_create(Account, [Account(gl_code=c, name=n, kind=k, is_variable=v)
                                         for c, n, k, v, _ in ACCOUNTS])
    ctx.bulk_create(AuthorisationBand, [
        AuthorisationBand(level=1, role="head", limit=Decimal("5000")),
        AuthorisationBand(level=2, role="operations", limit=Decimal("50000")),
        AuthorisationBand(level=3, role="finance", limit=None),
    ])
    PayPolicy.objects.create(salaries_account=next(a for a in accounts if a.gl_code == "5100"),
                             premium_account=next(a for a in accounts if a.gl_code == "5150"))
    ctx.data["fiscal_years"] = years
    ctx.data["accounts"] = {a.gl_code: a for a in accounts}
    ctx.log(f"finance: FY{this_year - 1} and FY{this_year} (periods up to {last_closed:%b %Y} closed), "
            f"{len(accounts)} accounts, three authorisation bands")


def _monthly(ctx: DemoContext, department: Department, base: int, month: dt.date) -> Decimal:
    season = Decimal("1.08") if month.month in (1, 2, 12) else Decimal("0.96") if month.month in (7, 8) else 1
    return (Decimal(base) * _weight(ctx, department) * season).quantize(Decimal("1"))


def build_budgets(ctx: DemoContext) -> None:
    users = ctx.data["users"]
    departments = list(Department.objects.filter(is_active=True))
    accounts = ctx.data["accounts"]
    budgets = ctx.bulk_create(Budget, [
        Budget(department=d, fiscal_year=fy, version=1, status=Budget.Status.APPROVED, created_by=users["finance"],
               submitted_by=users["finance"], approved_by=users["ops"], label="Annual budget")
        for fy in ctx.data["fiscal_years"] for d in departments
    ])
    lines = []
    for budget in budgets:
        for code, _name, _kind, _variable, base in ACCOUNTS:
            if not base:
                continue
            for month in budget.fiscal_year.months:
                lines.append(BudgetLine(budget=budget, account=accounts[code], month=month,
                                        amount=_monthly(ctx, budget.department, base, month)))
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    units = []
    for fy in ctx.data["fiscal_years"]:
        for department in departments:
            kind = UNITS.get(department.kind, "visits")
            for month in fy.months:
                planned = (Decimal(600) * _weight(ctx, department)).quantize(Decimal("1"))
                actual = None
                if month < ctx.today.replace(day=1):
                    actual = (planned * Decimal(ctx.rng.uniform(0.88, 1.14))).quantize(Decimal("1"))
                units.append(ServiceUnits(department=department, month=month, unit=kind, budgeted=planned,
                                          actual=actual))
    ctx.bulk_create(ServiceUnits, units, history=False)
    ctx.data["finance_departments"] = departments
    ctx.log(f"finance: approved budgets for {len(departments)} departments × 2 years ({len(lines):,} lines), "
            f"units of service")


def _labour_months(months: list[dt.date]) -> tuple[list[dt.date], set[int]]:
    """The months wholly covered by the demo's rosters in force, and the departments rostered in them: their
    payroll comes from worked shifts (posted labour cost), everyone else's from the ledger."""
    from django.db.models import Min

    from staffing.selectors import worked_shifts

    if not months:
        return [], set()
    end = add_months(months[-1], 1) - dt.timedelta(days=1)
    shifts = worked_shifts(start=months[0], end=end)
    first = shifts.aggregate(first=Min("date"))["first"]
    if first is None:
        return [], set()
    covered = [month for month in months if month >= first]
    rostered = set(shifts.filter(date__gte=covered[0]).values_list("schedule__department_id", flat=True)
                   .distinct().order_by()) if covered else set()
    return covered, rostered


def build_ledger(ctx: DemoContext) -> None:
    """A year and a half of postings, spread over departments, accounts and months like the budget, with a
    drift so that some lines run over and some under. In the months the rosters cover, rostered departments'
    payroll is their labour cost from worked shifts, posted by finance; the ledger brings everything else."""
    from .services.actuals import post_labour_cost

    departments = ctx.data["finance_departments"]
    accounts = ctx.data["accounts"]
    first = add_months(ctx.today.replace(day=1), -18)
    last = add_months(ctx.today.replace(day=1), -1)
    periods = {p.month: p for p in Period.objects.filter(month__gte=first, month__lte=last)}
    months = sorted(periods)
    labour_months, rostered = _labour_months(months)
    payroll = {code for code, _n, kind, _v, _b in ACCOUNTS if kind == "salaries"}
    spending = [(code, base) for code, _n, _k, _v, base in ACCOUNTS if base]
    cells = [(d, code, base, m) for d in departments for code, base in spending for m in months
             if not (code in payroll and m in labour_months and d.pk in rostered)]
    total = LEDGER_LINES[ctx.scale]
    per_cell = max(1, -(-total // max(len(cells), 1)))  # rounded up: at least `total` lines
    drift = {d.pk: Decimal(ctx.rng.uniform(0.9, 1.15)) for d in departments}
    batches = {m: LedgerBatch.objects.create(batch_id=f"GL-{m:%Y-%m}", imported_by=ctx.data["users"]["finance"])
               for m in months}
    rows, number = [], 0
    for department, code, base, month in cells:
        amount = _monthly(ctx, department, base, month) * drift[department.pk]
        shares = [Decimal(ctx.rng.uniform(0.5, 1.5)) for _ in range(per_cell)]
        whole = sum(shares)
        for share in shares:
            number += 1
            posted = month + dt.timedelta(days=ctx.rng.randint(0, 27))
            rows.append(LedgerLine(batch=batches[month], reference=f"{number:07d}", department=department,
                                   account=accounts[code], period=periods[month], posted_on=posted,
                                   amount=(amount * share / whole).quantize(CENT),
                                   description=ctx.rng.choice(VENDORS) if code >= "6" else "Payroll"))
    ctx.bulk_create(LedgerLine, rows, history=False)
    for batch in batches.values():
        batch.line_count = sum(1 for row in rows if row.batch_id == batch.pk)
    LedgerBatch.objects.bulk_update(batches.values(), ["line_count"])
    posted = [post_labour_cost(actor=ctx.data["users"]["finance"], month=month) for month in labour_months]
    Period.objects.filter(month__lte=ctx.data["last_closed"]).update(is_closed=True)
    ctx.log(f"finance: {len(rows):,} ledger lines over {len(months)} months; labour cost from worked shifts "
            f"posted for {len(posted)} months ({sum(p['lines'] for p in posted):,} lines)")


def build_expenditures(ctx: DemoContext) -> None:
    """Requests in every state for Medicine and Surgery (the demo heads' departments) and a few more."""
    from .services import expenditure as services

    users = ctx.data["users"]
    accounts = ctx.data["accounts"]
    departments = ctx.data["departments"]
    month = ctx.today.replace(day=1)
    plans = [  # raiser, department, vendor, account, amount, outcome
        ("head", "MED", "Medline Industries", "6100", "1800.00", "requested"),
        ("head", "MED", "Baxter Healthcare", "7200", "7400.00", "requested"),
        ("head", "MED", "Stryker", "7200", "62000.00", "requested"),
        ("head", "MED", "Cardinal Health", "6100", "2400.00", "approved"),
        ("head", "MED", "Philips Healthcare", "7400", "3900.00", "ordered"),
        ("head", "MED", "McKesson", "6200", "4100.00", "received"),
        ("head", "MED", "Owens & Minor", "6100", "950.00", "paid"),
        ("head", "MED", "3M Health Care", "6150", "300.00", "denied"),
        ("head.surgery", "SURG", "Steris", "7400", "4800.00", "approved"),
        ("head.surgery", "SURG", "B. Braun", "6100", "14500.00", "over"),
        ("head.surgery", "SURG", "GE HealthCare", "7200", "9800.00", "requested"),
    ]
    made = 0
    for raiser, code, vendor, gl, amount, outcome in plans:
        department = departments.get(code)
        if department is None:
            continue
        request = services.raise_expenditure(actor=users[raiser], data={
            "department": department, "month": month, "vendor": vendor,
            "justification": f"{accounts[gl].name} for {department.name}: replacing stock used this month.",
            "lines": [{"account": accounts[gl], "description": accounts[gl].name, "amount": Decimal(amount)}],
        })
        made += 1
        if outcome == "denied":
            services.deny_expenditure(request=request, approver=users["ops"], reason="Draw from central stores.")
        elif outcome == "over":
            _over_budget(request, users)
        elif outcome != "requested":
            services.approve_expenditure(request=request, approver=users["ops"],
                                         reason="Agreed at the monthly review.")
            for step in ("ordered", "received", "paid"):
                if ExpenditureRequest.Status.values.index(outcome) < ExpenditureRequest.Status.values.index(step):
                    break
                services.advance_expenditure(request=request, actor=users["finance"], to=step)
    ctx.log(f"finance: {made} expenditure requests in every state")


def _over_budget(request: ExpenditureRequest, users) -> None:
    """Approved at level 1 by the operations manager (who holds it too) over budget, with a reason, and
    waiting at the next level, as a head's over-budget request would."""
    Approval.objects.create(request=request, level=1, approver=users["ops"],
                            over_budget_reason="Theatre list doubled after the ward reopening.")
    request.required_level = 3
    request.escalation_reason = "Theatre list doubled after the ward reopening."
    request._change_reason = "over budget: passed to level 3"
    request.save()


def build_chargemaster(ctx: DemoContext) -> None:
    departments = ctx.data["departments"]
    count = CODES[ctx.scale]
    per_family = count // len(CODE_FAMILIES)
    codes = []
    for prefix, description, department_code, revenue, _prices in CODE_FAMILIES:
        department = departments.get(department_code) or next(iter(departments.values()))
        for n in range(per_family):
            codes.append(ChargeCode(code=f"{prefix}{n:02d}", system=ChargeCode.System.CPT, revenue_code=revenue,
                                    description=f"{description}, variant {n + 1}", department=department))
    codes = ctx.bulk_create(ChargeCode, codes)
    this_year = dt.date(ctx.today.year, 1, 1)
    last_year = dt.date(ctx.today.year - 1, 1, 1)
    prices = {prefix: bounds for prefix, _d, _c, _r, bounds in CODE_FAMILIES}
    rates, volumes = [], []
    for code in codes:
        low, high = prices[code.code[:3]]
        old = Decimal(ctx.rng.uniform(low, high)).quantize(CENT)
        rates.append(ChargeRate(code=code, price=old, valid_from=last_year, valid_to=this_year - dt.timedelta(days=1)))
        rates.append(ChargeRate(code=code, price=(old * Decimal("1.03")).quantize(CENT), valid_from=this_year))
        usual = ctx.rng.randint(5, 400)
        for month in range(24):  # both years: the pending change's impact reads the twelve months before it
            volumes.append(ServiceVolume(code=code, month=add_months(last_year, month),
                                         quantity=max(1, int(usual * ctx.rng.uniform(0.85, 1.15)))))
    ctx.bulk_create(ChargeRate, rates)
    ServiceVolume.objects.bulk_create(volumes, batch_size=2000)
    change = RateChange(percent=Decimal("4.00"), effective_from=dt.date(ctx.today.year + 1, 1, 1),
                        department=departments.get("RAD"), code_from="" if departments.get("RAD") else "71000",
                        code_to="" if departments.get("RAD") else "74199", proposed_by=ctx.data["users"]["finance"])
    change._change_reason = "proposed"
    change.save()
    ctx.log(f"finance: chargemaster of {len(codes)} codes with two years of prices, volumes and a pending +4 % change")


STEPS: list[Callable[[DemoContext], None]] = [build_setup, build_budgets, build_ledger, build_expenditures,
                                              build_chargemaster]


def flush() -> None:
    for model in (Approval, ExpenditureLine, ExpenditureRequest, LedgerLine, LedgerBatch, BudgetLine, Budget,
                  ServiceUnits, ServiceVolume, ChargeRate, RateChange, ChargeCode, PayPolicy, AuthorisationBand,
                  Period, FiscalYear, Account):
        model.objects.all().delete()
        if hasattr(model, "history"):
            model.history.model.objects.all().delete()
