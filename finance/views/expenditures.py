"""Expenditure requests: the list, raising one, and its page (approve, deny, progress, attach)."""

from __future__ import annotations

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
from ..forms import (
    AttachmentForm,
    DecisionForm,
    ExpenditureChangeForm,
    ExpenditureForm,
    ExpenditureLineFormSet,
    expenditure_change_lines,
)
from ..models import ExpenditureRequest
from ..services import expenditure as services
from ._common import paginate, require_finance_user

EXPORT_HEADERS = ["Request", "Department", "Month", "Vendor", "Total", "Status", "Level needed", "Raised by",
                  "Raised at"]


@login_required
@require_GET
def expenditure_list(request):
    user = request.user
    require_finance_user(user)
    requests = selectors.expenditure_list(user).order_by("-raised_at", "-pk")
    status = request.GET.get("status", "")
    if status in ExpenditureRequest.Status.values:
        requests = requests.filter(status=status)
    department = request.GET.get("department", "")
    if department.isdigit() and len(department) < 12:
        requests = requests.filter(department_id=int(department))
    fmt = request.GET.get("format")
    if fmt:
        rows = ([f"EXP-{r.pk}", r.department.code, r.month.strftime("%Y-%m"), r.vendor, r.total,
                 r.get_status_display(), r.required_level, r.raised_by.username, r.raised_at.date()]
                for r in requests[:20000])
        return export_response("expenditures", EXPORT_HEADERS, rows, fmt)
    context = {
        "page": paginate(request, requests), "statuses": ExpenditureRequest.Status.choices, "status": status,
        "departments": access.finance_departments(user).order_by("path"), "department": department,
        "can_raise": access.acts_as(user, access.HEAD),
    }
    return render(request, "finance/expenditure_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def expenditure_create(request):
    user = request.user
    require_finance_user(user)
    if not access.acts_as(user, access.HEAD):
        raise Http404
    form = ExpenditureForm(request.POST or None, user=user)
    lines = ExpenditureLineFormSet(request.POST or None, prefix="line")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = dict(form.cleaned_data)
        data["lines"] = [line for line in lines.cleaned_data if line and line.get("account")]
        try:
            created = services.raise_expenditure(actor=user, data=data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("%(r)s raised; it waits for level %(l)s.") % {
                "r": created, "l": created.required_level})
            return redirect(created)
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/expenditure_form.html", {"form": form, "lines": lines}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def expenditure_edit(request, pk):
    """Change a request still awaiting approval, lines included, through the service the API's edit calls:
    saving starts its approvals again, and whoever raises its total may no longer approve it. Its files stay."""
    user = request.user
    item = get_object_or_404(selectors.expenditure_detail(user), pk=pk)
    if not access.can_edit_expenditure(user, item):
        raise Http404
    if item.status != ExpenditureRequest.Status.REQUESTED:
        messages.error(request, _("Only a request awaiting approval can be changed."))
        return redirect(item)
    current = list(item.lines.all())
    form = ExpenditureChangeForm(request.POST or None, initial={
        "month": item.month, "vendor": item.vendor, "justification": item.justification})
    lines = expenditure_change_lines(existing=len(current))(request.POST or None, prefix="line", initial=[
        {"account": line.account, "description": line.description, "amount": line.amount} for line in current])
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        data = dict(form.cleaned_data)
        data["lines"] = [line for line in lines.cleaned_data if line and line.get("account")]
        try:
            changed = services.update_expenditure(actor=user, data=data, request=item)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("%(r)s changed; its approvals start again at level 1 of %(l)s.") % {
                "r": changed, "l": changed.required_level})
            return redirect(changed)
    status = 400 if request.method == "POST" else 200
    return render(request, "finance/expenditure_form.html", {"form": form, "lines": lines, "item": item},
                  status=status)


@login_required
@require_GET
def expenditure_detail(request, pk):
    user = request.user
    item = get_object_or_404(selectors.expenditure_detail(user), pk=pk)
    chain = services.bands()
    waiting = item.status == ExpenditureRequest.Status.REQUESTED
    context = {
        "item": item, "bands": chain,
        "can_approve": waiting and access.can_approve_expenditure(user, item, chain),
        "can_edit": waiting and access.can_edit_expenditure(user, item),
        "next_step": ExpenditureRequest.NEXT.get(item.status),
        "can_progress": access.can_progress_expenditure(user, item),
        "can_pay": access.can_record_payment(user),
        "remaining": [
            (line.account, selectors.remaining(department_id=item.department_id, account_id=line.account_id,
                                               month=item.month, excluding=item.pk))
            for line in item.lines.all()
        ] if waiting else [],
        "history": item.history.select_related("history_user").order_by("-history_date")[:30],
        "attachment_form": AttachmentForm(),
    }
    return render(request, "finance/expenditure_detail.html", context)


def _act(request, pk, action):
    item = get_object_or_404(ExpenditureRequest.objects.visible_to(request.user), pk=pk)
    try:
        message = action(item)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, message)
    return redirect(item)


@login_required
@require_POST
def expenditure_approve(request, pk):
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        messages.error(request, _("Keep the reason under 2,000 characters."))
        return redirect("finance:expenditure-detail", pk=pk)

    def approve(item):
        item = services.approve_expenditure(request=item, approver=request.user, reason=reason)
        if item.status == "approved":
            return _("Approved.")
        waiting = max(item.approvals.values_list("level", flat=True)) + 1
        return _("Approved at your level; it now waits for level %(l)s.") % {"l": waiting}

    return _act(request, pk, approve)


@login_required
@require_POST
def expenditure_deny(request, pk):
    form = DecisionForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(request, pk, lambda item: (
        services.deny_expenditure(request=item, approver=request.user, reason=reason), _("Denied."))[1])


@login_required
@require_POST
def expenditure_advance(request, pk):
    to = request.POST.get("to", "")[:20]
    return _act(request, pk, lambda item: (
        services.advance_expenditure(request=item, actor=request.user, to=to), _("Marked %(to)s.") % {"to": to})[1])


@login_required
@require_POST
def expenditure_cancel(request, pk):
    return _act(request, pk, lambda item: (
        services.cancel_expenditure(request=item, actor=request.user), _("Cancelled."))[1])


@login_required
@require_POST
def expenditure_attach(request, pk):
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to attach."))
        return redirect("finance:expenditure-detail", pk=pk)
    return _act(request, pk, lambda item: (
        services.add_attachment(request=item, actor=request.user, upload=form.cleaned_data["file"]),
        _("File attached."))[1])


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    from django.http import FileResponse

    item = get_object_or_404(ExpenditureRequest.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(item.attachments, pk=attachment_pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type, as_attachment=True,
                            filename=attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
