"""Variance: budget vs actual vs committed, year to date, forecast, flexible budget, drill-down and charts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import refused, require

from .. import access, charts, measures, selectors
from ..forms import ExplanationForm, VarianceFilterForm
from ..models import Account, ExpenditureRequest, FiscalYear, LedgerLine
from ..services.budgets import write_explanation
from ._common import next_url, paginate, require_finance_user

HEADERS = ["Department", "GL code", "Account", "Budget YTD", "Flexible budget YTD", "Actual YTD", "Committed",
           "Variance", "Variance %", "Volume variance", "Rate/efficiency variance", "Annual budget",
           "Forecast to year end", "Explanation"]


def variance_context(request):
    """The filtered variance for the page and its downloads: (form, report, department or None). The years and
    the user's departments are read once, for the filter and the report alike."""
    user = request.user
    years = list(FiscalYear.objects.order_by("-start_date"))
    departments = list(access.finance_departments(user).order_by("path"))
    form = VarianceFilterForm(request.GET or None, years=years, departments=departments)
    year = department = through = None
    if form.is_bound and form.is_valid():
        year, department, through = (form.cleaned_data[k] for k in ("fiscal_year", "department", "through"))
    if year is None:
        today = timezone.localdate()
        year = next((y for y in years if y.start_date <= today <= y.end_date), years[0] if years else None)
    if year is None:
        return form, None, department
    if department is not None:
        departments = [d for d in departments if department.pk in d.lineage_ids]
    report = measures.variance(departments=departments, fiscal_year=year, through=through)
    return form, report, department


@login_required
@require_GET
def variance_page(request):
    user = request.user
    require_finance_user(user)
    form, report, department = variance_context(request)
    fmt = request.GET.get("format")
    if fmt and report is not None:
        rows = ([line.department.code, line.account.gl_code, line.account.name, line.budget_ytd, line.flex_ytd,
                 line.actual_ytd, line.committed_ytd, line.variance, line.variance_pct, line.volume_variance,
                 line.spending_variance, line.budget_year, line.forecast,
                 line.explanation.text if line.explanation else ""] for line in report.lines)
        return export_response(f"variance-{report.fiscal_year.name}", HEADERS, rows, fmt)
    # The month's labour cost as posted to the ledger: what the actuals above count, once; nursing hours per
    # patient day from staffing's one measure of them.
    labour = per_patient_day = None
    if report is not None:
        labour = measures.posted_labour(department_ids=list(report.departments), month=report.through)
        if labour is not None:  # the month is posted
            nursing = measures.nursing_hours_per_patient_day(month=report.through,
                                                             department_ids=report.departments)
            per_patient_day = measures.labour_per_patient_day(report, labour, nursing)
    context = {
        "form": form, "report": report, "department": department, "labour": labour,
        "can_post_labour": access.can_import_actuals(user),
        "per_patient_day": per_patient_day,
        "totals": {name: report.total(name) for name in (
            "budget_ytd", "flex_ytd", "actual_ytd", "committed_ytd", "variance", "volume_variance",
            "spending_variance", "budget_year", "forecast")} if report else {},
        "chart": charts.variance_bars(report.by_month()) if report else "",
        "can_explain": department is not None and access.can_explain_variance(user, department),
        "explainable": {line.department.pk for line in report.lines
                        if access.can_explain_variance(user, line.department)} if report else set(),
    }
    return render(request, "finance/variance.html", context)


@login_required
@require_GET
def variance_lines(request):
    """Drill-down: the ledger lines behind one figure."""
    user = request.user
    require_finance_user(user)
    department = get_object_or_404(access.finance_departments(user), pk=_int(request.GET.get("department")))
    account = get_object_or_404(Account, pk=_int(request.GET.get("account")))
    year = get_object_or_404(FiscalYear, pk=_int(request.GET.get("fiscal_year")))
    lines = LedgerLine.objects.filter(department=department, account=account, period__fiscal_year=year) \
        .select_related("batch", "period").order_by("posted_on", "pk")
    month = request.GET.get("month", "")
    if len(month) == 7:
        lines = lines.filter(period__month=f"{month}-01") if month[:4].isdigit() and month[5:].isdigit() else lines
    expenditures = selectors.expenditure_list(user).filter(
        department=department, lines__account=account, status__in=ExpenditureRequest.COMMITTED,
        month__gte=year.start_date, month__lte=year.end_date).distinct()
    fmt = request.GET.get("format")
    if fmt:
        return export_response("ledger-lines", ["Batch", "Reference", "Posted on", "Amount", "Description"], (
            [line.batch.batch_id, line.reference, line.posted_on, line.amount, line.description] for line in lines
        ), fmt)
    return render(request, "finance/variance_lines.html", {
        "department": department, "account": account, "year": year, "page": paginate(request, lines),
        "total": selectors._sum(lines), "expenditures": expenditures, "month": month,
    })


def _int(text) -> int:
    text = text or ""
    require(text.isdigit() and len(text) < 12)
    return int(text)


@login_required
@require_POST
def variance_explain(request):
    user = request.user
    require_finance_user(user)
    form = ExplanationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the explanation in 1–2,000 characters."))
        return redirect(next_url(request, "/finance/variance/"))
    data = form.cleaned_data
    department = get_object_or_404(access.finance_departments(user), pk=data["department"])
    account = get_object_or_404(Account, pk=data["account"])
    try:
        write_explanation(actor=user, department=department, account=account, month=data["month"], text=data["text"])
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Explanation saved."))
    return redirect(next_url(request, "/finance/variance/"))

