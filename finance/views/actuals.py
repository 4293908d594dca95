"""Actuals: the ledger (list, import as a background job), units of service and service volumes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hospital_ops.exports import export_response
from hospital_ops.models import Job
from hospital_ops.pages import refused, require

from .. import access
from ..forms import LabourPostingForm, LedgerUploadForm, UploadForm
from ..models import LedgerBatch, LedgerLine, ServiceUnits
from ..services import actuals as services
from ..spreadsheets import read_rows
from ._common import paginate, require_finance_user


@login_required
@require_GET
def ledger_page(request):
    user = request.user
    require_finance_user(user)
    lines = LedgerLine.objects.visible_to(user).select_related("department", "account", "batch", "period") \
        .order_by("-posted_on", "-pk")
    batch = request.GET.get("batch", "")[:60]
    if batch:
        lines = lines.filter(batch__batch_id=batch)
    if request.GET.get("format"):
        return export_response("ledger", ["Batch", "Reference", "Cost centre", "GL code", "Posted on", "Amount",
                                          "Description"], (
            [line.batch.batch_id, line.reference, line.department.cost_centre, line.account.gl_code, line.posted_on,
             line.amount, line.description] for line in lines[:100_000]), request.GET["format"])
    job_id = request.GET.get("job", "")
    job = Job.objects.visible_to(user).filter(pk=int(job_id)).first() if job_id.isdigit() and len(job_id) < 12 \
        else None
    return render(request, "finance/ledger.html", {
        "page": paginate(request, lines), "batch": batch, "job": job,
        "batches": LedgerBatch.objects.order_by("-imported_at")[:10] if access.can_import_actuals(user) else [],
        "can_import": access.can_import_actuals(user), "form": LedgerUploadForm(),
        "units_form": UploadForm(auto_id="units-%s"), "labour_form": LabourPostingForm(auto_id="labour-%s"),
        "units": ServiceUnits.objects.visible_to(user).select_related("department").order_by("-month")[:24],
    })


@login_required
@require_POST
def ledger_import(request):
    require(access.can_import_actuals(request.user))
    form = LedgerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file and give the ledger's batch id."))
        return redirect("finance:ledger")
    try:
        job = services.start_ledger_import(actor=request.user, batch_id=form.cleaned_data["batch_id"],
                                           upload=form.cleaned_data["file"])
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
        return redirect("finance:ledger")
    return redirect(f"/finance/actuals/?job={job.pk}")


@login_required
@require_POST
def labour_post(request):
    """Post a month's labour cost from worked shifts to the ledger (again: it replaces that month's posting)."""
    require(access.can_import_actuals(request.user))
    form = LabourPostingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the month to post, as YYYY-MM."))
        return redirect("finance:ledger")
    try:
        result = services.post_labour_cost(actor=request.user, month=form.cleaned_data["month"])
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
        return redirect("finance:ledger")
    messages.success(request, _("%(batch)s posted: %(lines)s lines, %(total)s in all.") % {
        **result, "total": f"{result['total']:,.2f}"})
    return redirect(f"/finance/actuals/?batch={result['batch']}")


@login_required
@require_POST
def units_import(request):
    require(access.can_import_actuals(request.user))
    form = UploadForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a CSV or Excel file."))
        rows = read_rows(form.cleaned_data["file"], required=("cost_centre", "month", "budgeted"), max_rows=20000)
        count = services.import_service_units(actor=request.user, rows=rows)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("%(n)s months of units of service imported.") % {"n": count})
    return redirect("finance:ledger")
