"""The chargemaster: codes, a code's prices, the rate on a date, and bulk changes with their impact."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import refused, require

from .. import access, selectors
from ..forms import PriceForm, RateChangeForm, RateOnDateForm, UploadForm
from ..models import RateChange
from ..services import actuals as actual_services
from ..services import rates as services
from ..spreadsheets import read_rows
from ._common import paginate, require_finance_user


@login_required
@require_GET
def rate_list(request):
    user = request.user
    require_finance_user(user)
    codes = selectors.charge_codes(user).order_by("code")
    query = request.GET.get("q", "")[:40].strip()
    if query:
        codes = codes.filter(code__istartswith=query) | codes.filter(description__icontains=query)
    answer = None
    lookup = RateOnDateForm(request.GET if "on" in request.GET else None)
    if lookup.is_bound and lookup.is_valid():
        code = codes.model.objects.visible_to(user).filter(code=lookup.cleaned_data["code"].upper()).first()
        answer = {"code": code, "on": lookup.cleaned_data["on"],
                  "rate": selectors.rate_on(code, lookup.cleaned_data["on"]) if code else None}
    if request.GET.get("format"):
        return export_response("chargemaster", ["Code", "System", "Revenue code", "Description", "Department"], (
            [c.code, c.get_system_display(), c.revenue_code, c.description, c.department.code] for c in codes
        ), request.GET["format"])
    return render(request, "finance/rate_list.html", {
        "page": paginate(request, codes), "q": query, "lookup": lookup, "answer": answer,
        "changes": RateChange.objects.visible_to(user).select_related("department", "proposed_by")[:20],
        "can_manage": access.can_manage_rates(user), "change_form": RateChangeForm(auto_id="change-%s"),
        "volume_form": UploadForm(auto_id="volume-%s"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def rate_detail(request, pk):
    user = request.user
    code = get_object_or_404(selectors.charge_codes(user), pk=pk)
    form = PriceForm(request.POST or None)
    if request.method == "POST":
        require(access.can_manage_rates(user))
        if form.is_valid():
            try:
                services.set_price(actor=user, code=code, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            except PermissionDenied as denied:
                raise Http404 from denied
            else:
                messages.success(request, _("Price saved."))
                return redirect("finance:rate-detail", pk=code.pk)
    return render(request, "finance/rate_detail.html", {
        "code": code, "rates": code.rates.order_by("-valid_from"), "form": form,
        "can_manage": access.can_manage_rates(user),
    }, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def rate_change_create(request):
    require(access.can_manage_rates(request.user))
    form = RateChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("finance:rate-list")
    try:
        change = services.propose_rate_change(actor=request.user, data=form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
        return redirect("finance:rate-list")
    return redirect("finance:rate-change", pk=change.pk)


@login_required
@require_http_methods(["GET", "POST"])
def rate_change_detail(request, pk):
    user = request.user
    require_finance_user(user)
    change = get_object_or_404(RateChange.objects.visible_to(user), pk=pk)
    if request.method == "POST":
        try:
            services.decide_rate_change(actor=user, change=change, approve=request.POST.get("decision") == "approve")
        except (ValidationError, PermissionDenied) as error:
            refused(request, error)
        else:
            messages.success(request, _("Decision recorded."))
        return redirect("finance:rate-change", pk=change.pk)
    impact = selectors.rate_change_impact(change)
    if request.GET.get("format"):
        return export_response(f"rate-change-{change.pk}", ["Code", "Price", "New price", "Volume", "Impact"], (
            [row["code"].code, row["price"], row["new_price"], row["volume"], row["impact"]] for row in impact["rows"]
        ), request.GET["format"])
    return render(request, "finance/rate_change.html", {
        "change": change, "impact": impact, "can_decide": change.status == "proposed" and
        access.can_approve_rate_change(user, change),
    })


@login_required
@require_POST
def volume_import(request):
    require(access.can_import_actuals(request.user))
    form = UploadForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a CSV or Excel file."))
        rows = read_rows(form.cleaned_data["file"], required=("code", "month", "quantity"), max_rows=50000)
        count = actual_services.import_service_volumes(actor=request.user, rows=rows)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("%(n)s monthly volumes imported.") % {"n": count})
    return redirect("finance:rate-list")


