"""Finance set-up: fiscal years and periods, the chart of accounts, authorisation bands."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import form_data, form_page, refused, require

from .. import access
from ..forms import AccountForm, FiscalYearForm
from ..models import Account, AuthorisationBand, FiscalYear, Period
from ..services import setup as services
from ._common import require_finance_user


@login_required
@require_GET
def setup_page(request):
    user = request.user
    require_finance_user(user)
    accounts = Account.objects.order_by("gl_code")
    if request.GET.get("format"):
        return export_response("chart-of-accounts", ["GL code", "Name", "Kind", "Variable", "Active"], (
            [a.gl_code, a.name, a.get_kind_display(), a.is_variable, a.is_active] for a in accounts
        ), request.GET["format"])
    return render(request, "finance/setup.html", {
        "years": FiscalYear.objects.prefetch_related("periods").order_by("-start_date"),
        "accounts": accounts, "bands": AuthorisationBand.objects.order_by("level"),
        "can_set_up": access.can_set_up(user), "year_form": FiscalYearForm(),
    })


@login_required
@require_POST
def fiscal_year_create(request):
    require(access.can_set_up(request.user))
    form = FiscalYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("finance:setup")
    try:
        year = services.create_fiscal_year(actor=request.user, data=form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("%(y)s created with twelve open periods.") % {"y": year})
    return redirect("finance:setup")


@login_required
@require_POST
def period_toggle(request, pk):
    require(access.can_set_up(request.user))
    period = get_object_or_404(Period, pk=pk)
    try:
        services.set_period_closed(actor=request.user, period=period, closed=not period.is_closed)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("%(p)s is now %(s)s.") % {
            "p": period, "s": _("open") if period.is_closed else _("closed")})
    return redirect("finance:setup")


def _account_page(request, account=None):
    require(access.can_set_up(request.user))

    def save(form):
        if account is None:
            return services.create_account(actor=request.user, data=form_data(form))
        return services.update_account(actor=request.user, data=form_data(form), account=account)

    return form_page(request, AccountForm(request.POST or None, instance=copy(account) if account else None),
                     "finance/account_form.html", save=save,
                     success=lambda saved: _("Account %(a)s saved.") % {"a": saved},
                     then=lambda saved: "finance:setup", context={"account": account})


@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    return _account_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def account_edit(request, pk):
    return _account_page(request, get_object_or_404(Account, pk=pk))
