"""Reads of finance data: scoped lists, the budget remaining on a line, rates on a date.
Measures (variance, labour cost) are in `measures.py`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import (
    Account,
    Budget,
    BudgetLine,
    ChargeCode,
    ChargeRate,
    ExpenditureLine,
    ExpenditureRequest,
    FiscalYear,
    LedgerLine,
    Period,
    RateChange,
    ServiceVolume,
)

ZERO = Decimal("0.00")


def _sum(queryset, field: str = "amount") -> Decimal:
    return queryset.aggregate(total=Coalesce(Sum(field), ZERO))["total"]


def fiscal_year_of(day: dt.date) -> FiscalYear | None:
    return FiscalYear.objects.filter(start_date__lte=day, end_date__gte=day).first()


def expenditure_list(user) -> QuerySet[ExpenditureRequest]:
    return (
        ExpenditureRequest.objects.visible_to(user)
        .select_related("department", "raised_by")
        .annotate(line_count=Count("lines"))
    )


def expenditure_detail(user) -> QuerySet[ExpenditureRequest]:
    return ExpenditureRequest.objects.visible_to(user).select_related("department", "raised_by").prefetch_related(
        "lines__account", "approvals__approver", "attachments", "raises"
    )


def budget_list(user) -> QuerySet[Budget]:
    return Budget.objects.visible_to(user).select_related("department", "fiscal_year", "created_by", "approved_by") \
        .annotate(total=Coalesce(Sum("lines__amount"), ZERO)).order_by("department__path", "-fiscal_year__start_date",
                                                                       "-version")


def budgeted(*, department_id: int, account_id: int, month: dt.date) -> Decimal:
    return _sum(BudgetLine.objects.filter(
        budget__department_id=department_id, budget__status=Budget.Status.APPROVED, account_id=account_id, month=month
    ))


def actual(*, department_id: int, account_id: int, month: dt.date) -> Decimal:
    return _sum(LedgerLine.objects.filter(department_id=department_id, account_id=account_id, period__month=month))


def committed(*, department_id: int, account_id: int, month: dt.date, excluding: int | None = None) -> Decimal:
    lines = ExpenditureLine.objects.filter(
        request__department_id=department_id, request__month=month, account_id=account_id,
        request__status__in=ExpenditureRequest.COMMITTED,
    )
    if excluding is not None:
        lines = lines.exclude(request_id=excluding)
    return _sum(lines)


def remaining(*, department_id: int, account_id: int, month: dt.date, excluding: int | None = None) -> Decimal:
    """What is left to spend on a budget line: budget − actual − committed (approved, not yet paid)."""
    keys = {"department_id": department_id, "account_id": account_id, "month": month}
    return budgeted(**keys) - actual(**keys) - committed(**keys, excluding=excluding)


def rate_on(code: ChargeCode, day: dt.date) -> ChargeRate | None:
    """The price of `code` in force on `day`."""
    return (
        ChargeRate.objects.filter(code=code, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from")
        .first()
    )


def charge_codes(user) -> QuerySet[ChargeCode]:
    return ChargeCode.objects.visible_to(user).select_related("department")


def codes_of_change(change: RateChange) -> QuerySet[ChargeCode]:
    codes = ChargeCode.objects.filter(is_active=True)
    if change.department_id:
        from hospital_ops.scoping import within

        codes = codes.filter(within(change.department))
    if change.code_from and change.code_to:
        codes = codes.filter(code__gte=change.code_from, code__lte=change.code_to)
    return codes.order_by("code")


def rate_change_impact(change: RateChange) -> dict:
    """What a bulk change would bring in a year: for each code, the last twelve months' volume before
    it takes effect × (new price − current price); and the total. Fixed number of queries."""
    from .services.setup import add_months

    day = change.effective_from
    codes = list(codes_of_change(change))
    ids = [code.pk for code in codes]
    prices = {}
    for rate in ChargeRate.objects.filter(code_id__in=ids, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    ).order_by("code_id", "valid_from"):
        prices[rate.code_id] = rate.price
    first = add_months(day.replace(day=1), -12)
    volumes = dict(
        ServiceVolume.objects.filter(code_id__in=ids, month__gte=first, month__lt=day.replace(day=1))
        .values_list("code_id").annotate(total=Sum("quantity")).order_by()
    )
    rows, total = [], ZERO
    factor = Decimal(change.percent) / Decimal(100)
    for code in codes:
        price = prices.get(code.pk)
        if price is None:
            continue
        new_price = (price * (1 + factor)).quantize(Decimal("0.01"))
        volume = volumes.get(code.pk, 0)
        impact = (new_price - price) * volume
        total += impact
        rows.append({"code": code, "price": price, "new_price": new_price, "volume": volume, "impact": impact})
    return {"rows": rows, "total": total}


def open_periods() -> QuerySet[Period]:
    return Period.objects.filter(is_closed=False)


def active_accounts() -> QuerySet[Account]:
    return Account.objects.filter(is_active=True)
