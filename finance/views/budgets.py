"""Budgets: the list, a version's grid, import, copy, phasing, submit and approve."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import refused

from .. import access, selectors
from ..forms import BudgetCreateForm, CopyForm, PhaseForm, UploadForm
from ..models import Account, Budget
from ..services import budgets as services
from ..spreadsheets import read_rows
from ._common import paginate, require_finance_user


@login_required
@require_GET
def budget_list(request):
    user = request.user
    require_finance_user(user)
    budgets = selectors.budget_list(user)
    status = request.GET.get("status", "")
    if status in Budget.Status.values:
        budgets = budgets.filter(status=status)
    fmt = request.GET.get("format")
    if fmt:
        return export_response("budgets", ["Department", "Fiscal year", "Version", "Status", "Total"], (
            [b.department.code, b.fiscal_year.name, b.version, b.get_status_display(), b.total] for b in budgets
        ), fmt)
    return render(request, "finance/budget_list.html", {
        "page": paginate(request, budgets), "statuses": Budget.Status.choices, "status": status,
        "can_create": access.budget_departments(user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def budget_create(request):
    user = request.user
    require_finance_user(user)
    form = BudgetCreateForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            budget = services.create_budget(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("Draft %(b)s created.") % {"b": budget})
            return redirect(budget)
    return render(request, "finance/budget_form.html", {"form": form}, status=400 if form.is_bound else 200)


def _grid(budget: Budget):
    months = budget.fiscal_year.months
    cells = {(line.account_id, line.month): line.amount for line in budget.lines.all()}
    accounts = list(Account.objects.filter(is_active=True).order_by("gl_code"))
    rows = []
    for account in accounts:
        values = [cells.get((account.pk, month)) for month in months]
        rows.append({"account": account, "cells": [(month, value) for month, value in zip(months, values, strict=True)],
                     "total": sum(v for v in values if v is not None)})
    return months, rows


@login_required
@require_http_methods(["GET", "POST"])
def budget_detail(request, pk):
    user = request.user
    budget = get_object_or_404(selectors.budget_list(user), pk=pk)
    editable = budget.status == Budget.Status.DRAFT and access.can_prepare_budget(user, budget.department)
    if request.method == "POST":
        if not editable:
            raise Http404
        cells = {}
        for key, value in request.POST.items():
            if key.startswith("cell-") and value.strip() != "":
                _cell, account, month = (key.split("-", 2) + ["", ""])[:3]
                try:
                    cells[(int(account), dt.date.fromisoformat(month))] = value.strip()[:20]
                except ValueError:
                    messages.error(request, _("The grid sent a cell it does not have."))
                    return redirect(budget)
        if len(cells) > 5000:
            messages.error(request, _("Too many cells."))
            return redirect(budget)
        try:
            changed = services.set_budget_lines(actor=user, budget=budget, cells=cells)
        except (ValidationError, PermissionDenied) as error:
            refused(request, error)
        else:
            messages.success(request, _("%(n)s figures saved.") % {"n": changed})
        return redirect(budget)
    fmt = request.GET.get("format")
    months, rows = _grid(budget)
    if fmt:
        return export_response(f"budget-{budget.department.code}-{budget.fiscal_year.name}-v{budget.version}",
                               ["gl_code", "month", "amount"], (
                                   [line.account.gl_code, line.month.strftime("%Y-%m"), line.amount]
                                   for line in budget.lines.select_related("account")), fmt)
    return render(request, "finance/budget_detail.html", {
        "budget": budget, "months": months, "rows": rows, "editable": editable,
        "can_decide": budget.status == Budget.Status.SUBMITTED and access.can_approve_budget(user, budget),
        "upload_form": UploadForm(), "copy_form": CopyForm(), "phase_form": PhaseForm(),
        "month_totals": [sum((r["cells"][i][1] or 0) for r in rows) for i in range(len(months))],
        "history": budget.history.select_related("history_user").order_by("-history_date")[:20],
    })


def _budget_action(request, pk, action):
    budget = get_object_or_404(selectors.budget_list(request.user), pk=pk)
    try:
        message = action(budget)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, message)
    return redirect(budget)


@login_required
@require_POST
def budget_import(request, pk):
    form = UploadForm(request.POST, request.FILES)

    def run(budget):
        if not form.is_valid():
            raise ValidationError(_("Choose a CSV or Excel file."))
        rows = read_rows(form.cleaned_data["file"], required=("gl_code", "month", "amount"),
                         max_rows=services.MAX_IMPORT_ROWS)
        changed = services.import_budget(actor=request.user, budget=budget, rows=rows)
        return _("Imported %(n)s rows (%(c)s figures changed).") % {"n": len(rows), "c": changed}

    return _budget_action(request, pk, run)


@login_required
@require_POST
def budget_copy(request, pk):
    form = CopyForm(request.POST)

    def run(budget):
        if not form.is_valid():
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        changed = services.copy_last_year(actor=request.user, budget=budget, **form.cleaned_data)
        return _("%(n)s figures copied.") % {"n": changed}

    return _budget_action(request, pk, run)


@login_required
@require_POST
def budget_phase(request, pk):
    form = PhaseForm(request.POST)

    def run(budget):
        if not form.is_valid():
            raise ValidationError(" ".join(e for errors in form.errors.values() for e in errors))
        services.phase_annual(actor=request.user, budget=budget, **form.cleaned_data)
        return _("Phased over the year.")

    return _budget_action(request, pk, run)


@login_required
@require_POST
def budget_submit(request, pk):
    return _budget_action(request, pk, lambda budget: (
        services.submit_budget(actor=request.user, budget=budget), _("Submitted to finance."))[1])


@login_required
@require_POST
def budget_decide(request, pk):
    approve = request.POST.get("decision") == "approve"
    note = request.POST.get("note", "")[:200]
    return _budget_action(request, pk, lambda budget: (
        services.decide_budget(actor=request.user, budget=budget, approve=approve, note=note),
        _("Approved: this is now the budget.") if approve else _("Returned to draft."))[1])
