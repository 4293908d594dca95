"""Budgets: versions drafted and submitted by heads, approved by finance; lines entered in a grid,
imported, copied from last year with an uplift, or phased from an annual figure."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hospital_ops.history import save_checked

from .. import access
from ..models import Account, Budget, BudgetLine, FiscalYear, LedgerLine
from .setup import add_months

CENT = Decimal("0.01")
LARGEST_AMOUNT = Decimal("999999999999.99")
MAX_IMPORT_ROWS = 20_000


def _editable(actor, budget: Budget) -> Budget:
    budget = Budget.objects.select_for_update().select_related("department", "fiscal_year").get(pk=budget.pk)
    if not access.can_prepare_budget(actor, budget.department):
        raise PermissionDenied(_("Only heads of the department and finance prepare its budget."))
    if budget.status != Budget.Status.DRAFT:
        raise ValidationError(_("Only a draft budget can be changed; start a new version to reforecast."),
                              code="conflict")
    return budget


@transaction.atomic
def create_budget(*, actor, data: dict) -> Budget:
    """A new draft version for a department and fiscal year; from the approved version's lines when there is one
    (a reforecast)."""
    department, year = data["department"], data["fiscal_year"]
    if not access.can_prepare_budget(actor, department):
        raise PermissionDenied(_("Only heads of the department and finance prepare its budget."))
    if Budget.objects.filter(department=department, fiscal_year=year, status=Budget.Status.DRAFT).exists():
        raise ValidationError(_("A draft already exists for %(d)s %(y)s: finish it first.") % {
            "d": department.code, "y": year}, code="conflict")
    latest = Budget.objects.filter(department=department, fiscal_year=year).aggregate(v=Max("version"))["v"] or 0
    budget = save_checked(Budget(department=department, fiscal_year=year, version=latest + 1,
                                 label=data.get("label", ""), created_by=actor), "drafted")
    approved = Budget.objects.filter(department=department, fiscal_year=year, status=Budget.Status.APPROVED).first()
    if approved is not None:
        BudgetLine.objects.bulk_create([
            BudgetLine(budget=budget, account_id=line.account_id, month=line.month, amount=line.amount)
            for line in approved.lines.all()
        ])
    return budget


def _amount(text) -> Decimal:
    try:
        value = Decimal(str(text).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("%(v)r is not an amount") % {"v": text}) from None
    if not value.is_finite() or value < 0 or value > LARGEST_AMOUNT:
        raise ValueError(_("amounts run from 0 to %(max)s") % {"max": f"{LARGEST_AMOUNT:,}"})
    return value.quantize(CENT, ROUND_HALF_UP)


def _write_lines(budget: Budget, cells: dict[tuple[int, dt.date], Decimal]) -> int:
    existing = {(line.account_id, line.month): line for line in budget.lines.all()}
    create, update = [], []
    for (account_id, month), amount in cells.items():
        line = existing.get((account_id, month))
        if line is None:
            create.append(BudgetLine(budget=budget, account_id=account_id, month=month, amount=amount))
        elif line.amount != amount:
            line.amount = amount
            update.append(line)
    BudgetLine.objects.bulk_create(create, batch_size=1000)
    BudgetLine.objects.bulk_update(update, ["amount"], batch_size=1000)
    return len(create) + len(update)


@transaction.atomic
def set_budget_lines(*, actor, budget: Budget, cells: dict[tuple[int, dt.date], object]) -> int:
    """The grid: {(account id, first of month): amount}. All or nothing."""
    budget = _editable(actor, budget)
    months = set(budget.fiscal_year.months)
    accounts = set(Account.objects.filter(is_active=True).values_list("pk", flat=True))
    clean, errors = {}, []
    for (account_id, month), value in cells.items():
        if account_id not in accounts or month not in months:
            errors.append(_("No such account or month in this fiscal year."))
            continue
        try:
            clean[(account_id, month)] = _amount(value)
        except ValueError as error:
            errors.append(str(error))
    if errors:
        raise ValidationError(sorted(set(errors)))
    changed = _write_lines(budget, clean)
    save_checked(budget, f"{changed} lines entered")
    return changed


def parse_budget_rows(budget: Budget, rows: list[dict[str, str]]) -> tuple[dict, list[str]]:
    """Rows of gl_code, month (YYYY-MM) and amount → cells, and every bad row with its reason."""
    accounts = dict(Account.objects.filter(is_active=True).values_list("gl_code", "pk"))
    months = {month.strftime("%Y-%m"): month for month in budget.fiscal_year.months}
    cells, errors = {}, []
    for number, row in enumerate(rows, start=2):
        code, month, amount = row.get("gl_code", ""), row.get("month", "")[:7], row.get("amount", "")
        problems = []
        if code not in accounts:
            problems.append(_("unknown or closed account %(c)r") % {"c": code})
        if month not in months:
            problems.append(_("month %(m)r is not in %(y)s (use YYYY-MM)") % {"m": month, "y": budget.fiscal_year})
        try:
            value = _amount(amount)
        except ValueError as error:
            problems.append(str(error))
        if not problems and (accounts[code], months[month]) in cells:
            problems.append(_("%(c)s %(m)s appears twice") % {"c": code, "m": month})
        if problems:
            errors.append(_("Row %(n)s: %(p)s.") % {"n": number, "p": "; ".join(problems)})
        else:
            cells[(accounts[code], months[month])] = value
    return cells, errors


@transaction.atomic
def import_budget(*, actor, budget: Budget, rows: list[dict[str, str]]) -> int:
    """Import lines from a spreadsheet: every row is good or nothing is written, and every bad row is
    listed with its reason."""
    budget = _editable(actor, budget)
    if len(rows) > MAX_IMPORT_ROWS:
        raise ValidationError(_("At most %(n)s rows.") % {"n": MAX_IMPORT_ROWS})
    cells, errors = parse_budget_rows(budget, rows)
    if errors:
        raise ValidationError(errors)
    changed = _write_lines(budget, cells)
    save_checked(budget, f"imported {len(cells)} lines")
    return changed


@transaction.atomic
def copy_last_year(*, actor, budget: Budget, source: str, uplift_percent) -> int:
    """Fill the draft from last fiscal year's approved budget or actuals, month by month, plus `uplift_percent`."""
    budget = _editable(actor, budget)
    try:
        uplift = Decimal(str(uplift_percent))
    except InvalidOperation:
        raise ValidationError({"uplift_percent": _("Give the uplift as a number.")}) from None
    if not uplift.is_finite() or not Decimal(-50) <= uplift <= Decimal(100):
        raise ValidationError({"uplift_percent": _("The uplift runs from -50 % to 100 %.")})
    last_year = FiscalYear.objects.filter(end_date__lt=budget.fiscal_year.start_date).order_by("-start_date").first()
    if last_year is None:
        raise ValidationError(_("There is no earlier fiscal year to copy."))
    if source == "budget":
        figures = BudgetLine.objects.filter(budget__department=budget.department, budget__fiscal_year=last_year,
                                            budget__status=Budget.Status.APPROVED).values_list("account_id", "month") \
            .annotate(total=Sum("amount")).order_by()
    elif source == "actuals":
        figures = LedgerLine.objects.filter(department=budget.department, period__fiscal_year=last_year) \
            .values_list("account_id", "period__month").annotate(total=Sum("amount")).order_by()
    else:
        raise ValidationError({"source": _("Copy from last year's budget or its actuals.")})
    factor = 1 + uplift / 100
    offset = (budget.fiscal_year.start_date.year - last_year.start_date.year) * 12 + (
        budget.fiscal_year.start_date.month - last_year.start_date.month)
    cells = {
        (account_id, add_months(month, offset)): max(Decimal(0), (total * factor).quantize(CENT, ROUND_HALF_UP))
        for account_id, month, total in figures
    }
    if not cells:
        raise ValidationError(_("Last year has no %(s)s for this department.") % {"s": source})
    changed = _write_lines(budget, cells)
    save_checked(budget, f"copied last year's {source} {uplift:+}%")
    return changed


@transaction.atomic
def phase_annual(*, actor, budget: Budget, account: Account, annual, method: str = "even") -> int:
    """Spread an annual figure over the twelve months: evenly, or in the proportions of last year's actuals
    for that account (evenly when last year has none). The months add up to the annual figure exactly."""
    budget = _editable(actor, budget)
    try:
        total = _amount(annual)
    except ValueError as error:
        raise ValidationError({"annual": str(error)}) from None
    months = budget.fiscal_year.months
    weights = [Decimal(1)] * len(months)
    if method == "last_year":
        start = add_months(months[0], -12)
        pattern = dict(
            LedgerLine.objects.filter(department=budget.department, account=account, period__month__gte=start,
                                      period__month__lt=months[0])
            .values_list("period__month").annotate(total=Sum("amount")).order_by()
        )
        found = [max(Decimal(0), pattern.get(add_months(month, -12), Decimal(0))) for month in months]
        if sum(found) > 0:
            weights = found
    elif method != "even":
        raise ValidationError({"method": _("Phase evenly or by last year's pattern.")})
    whole = sum(weights)
    amounts = [(total * weight / whole).quantize(CENT, ROUND_HALF_UP) for weight in weights]
    amounts[-1] += total - sum(amounts)  # the rounding lands in the last month
    if amounts[-1] < 0:
        amounts[-2] += amounts[-1]
        amounts[-1] = Decimal("0.00")
    changed = _write_lines(budget, {(account.pk, month): amount for month, amount in zip(months, amounts, strict=True)})
    save_checked(budget, f"phased {account.gl_code} {method}")
    return changed


@transaction.atomic
def submit_budget(*, actor, budget: Budget) -> Budget:
    budget = _editable(actor, budget)
    if not budget.lines.exists():
        raise ValidationError(_("Enter the budget's lines before submitting it."))
    budget.status, budget.submitted_by, budget.submitted_at = Budget.Status.SUBMITTED, actor, timezone.now()
    return save_checked(budget, f"submitted by {actor.get_username()}")


@transaction.atomic
def decide_budget(*, actor, budget: Budget, approve: bool, note: str = "") -> Budget:
    """Finance approves a submitted version (the one approved before it is superseded) or returns it to draft."""
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    if budget.status != Budget.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted budget is decided."), code="conflict")
    if not access.can_approve_budget(actor, budget):
        raise PermissionDenied(_("Finance approves budgets, and never one it submitted."))
    if not approve:
        budget.status = Budget.Status.DRAFT
        return save_checked(budget, f"returned: {note}" if note else "returned to draft")
    for previous in Budget.objects.select_for_update().filter(
        department_id=budget.department_id, fiscal_year_id=budget.fiscal_year_id, status=Budget.Status.APPROVED
    ):
        previous.status = Budget.Status.SUPERSEDED
        save_checked(previous, f"superseded by v{budget.version}")
    budget.status, budget.approved_by, budget.approved_at = Budget.Status.APPROVED, actor, timezone.now()
    return save_checked(budget, f"approved by {actor.get_username()}")


@transaction.atomic
def write_explanation(*, actor, department, account: Account, month: dt.date, text: str):
    """A head explains a variance line; the monthly report prints it. One explanation per line and month."""
    from ..models import VarianceExplanation

    if not access.can_explain_variance(actor, department):
        raise PermissionDenied(_("Heads of the department and managers explain its variances."))
    text = (text or "").strip()
    if not text or len(text) > 2000:
        raise ValidationError({"text": _("Write the explanation in 1–2,000 characters.")})
    explanation = VarianceExplanation.objects.select_for_update().filter(
        department=department, account=account, month=month.replace(day=1)).first() or VarianceExplanation(
        department=department, account=account, month=month.replace(day=1))
    explanation.text, explanation.written_by = text, actor
    return save_checked(explanation, f"explained by {actor.get_username()}")
