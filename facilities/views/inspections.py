"""Inspection pages: the list, conducting one on a phone (answers, notes, photos), findings and their
corrective actions, recommendations, and the compliance and emergency-readiness dashboard.

Everything is looked up through a scoped selector, so another department's inspection or finding is a 404.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hospital_ops.exports import export_response
from hospital_ops.forms import BootstrapFormMixin, DateInput
from hospital_ops.pages import refused, require
from records import access as roles
from records.models import Department

from .. import access
from .. import inspection_selectors as selectors
from .. import inspection_services as services
from ..models import Finding, Inspection, InspectionPhoto, InspectionResult, Recommendation

PER_PAGE = 50


class ResultForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(choices=InspectionResult.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.FileField(required=False)


class ActionDoneForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=gettext_lazy("What was done"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PlanForm(BootstrapFormMixin, forms.Form):
    action = forms.CharField(label=gettext_lazy("Corrective action"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=get_user_model().objects.none())
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DateInput())
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Finding.Severity.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        if not dt.date(2000, 1, 1) <= due <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return due


class RecommendationForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Modification"), max_length=200)
    justification = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    estimated_cost = forms.DecimalField(min_value=0, max_value=99999999, max_digits=12, decimal_places=2)


# Inspections --------------------------------------------------------------------------------------------


INSPECTION_COLUMNS = ["Inspection", "Template", "Building", "Unit", "Due", "Shift", "Status", "Inspector",
                      "Completed", "Failed items"]


def _inspections(request):
    inspections = selectors.inspection_list(request.user)
    status = request.GET.get("status", "")
    if status in Inspection.Status.values:
        inspections = inspections.filter(status=status)
    return inspections


@login_required
@require_GET
def inspection_list(request):
    user = request.user
    require(access.can_browse_inspections(user))
    page = Paginator(_inspections(request), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/inspections/inspection_list.html", {
        "page": page, "inspections": page.object_list, "status": request.GET.get("status", ""),
        "statuses": Inspection.Status.choices, "today": selectors.today(),
    })


@login_required
@require_GET
def inspection_export(request, fmt):
    require(access.can_browse_inspections(request.user))
    rows = ([i.pk, i.template.name, i.building.code, i.department.code if i.department else "", i.due_on,
             i.get_shift_display(), i.get_status_display(), i.inspector.username if i.inspector else "",
             i.completed_at.date() if i.completed_at else None, i.failed] for i in _inspections(request))
    return export_response("inspections", INSPECTION_COLUMNS, rows, fmt, sheet=_("Inspections"))


def _render_inspection(request, inspection, *, errors=None, status=200):
    results = list(selectors.inspection_results(inspection))
    areas: dict[str, list] = {}
    for result in results:
        areas.setdefault(result.item.get_area_display(), []).append(result)
    context = {
        "inspection": inspection, "areas": areas, "errors": errors or {},
        "answered": sum(1 for r in results if r.outcome), "total": len(results),
        "can_conduct": access.can_conduct_inspections(request.user),
        "findings": selectors.finding_list(request.user).filter(inspection=inspection),
    }
    return render(request, "facilities/inspections/inspection_detail.html", context, status=status)


@login_required
@require_GET
def inspection_detail(request, pk):
    return _render_inspection(request, get_object_or_404(selectors.inspection_detail(request.user), pk=pk))


@login_required
@require_POST
def inspection_start(request, pk):
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    try:
        services.start_inspection(actor=request.user, inspection=inspection)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    return redirect(inspection)


@login_required
@require_POST
def inspection_answer(request, pk, result_pk):
    """One checklist item answered (with a note and perhaps a photo): nothing is saved unless all is valid."""
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    result = get_object_or_404(inspection.results.select_related("item"), pk=result_pk)
    form = ResultForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.record_result(actor=request.user, result=result, outcome=form.cleaned_data["outcome"],
                                       note=form.cleaned_data["note"])
                if form.cleaned_data["photo"]:
                    services.add_photo(actor=request.user, result=result, upload=form.cleaned_data["photo"])
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            return redirect(f"{inspection.get_absolute_url()}#item-{result.pk}")
    errors = {result.pk: [m for messages_ in form.errors.values() for m in messages_]}
    return _render_inspection(request, inspection, errors=errors, status=400)


@login_required
@require_POST
def inspection_complete(request, pk):
    inspection = get_object_or_404(selectors.inspection_detail(request.user), pk=pk)
    try:
        findings = services.complete_inspection(actor=request.user, inspection=inspection)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Inspection completed: %(n)s finding(s) opened.") % {"n": len(findings)})
    return redirect(inspection)


@login_required
@require_GET
def photo(request, pk):
    """A photo, served only to those who see its inspection."""
    item = get_object_or_404(InspectionPhoto.objects.visible_to(request.user), pk=pk)
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# Findings -------------------------------------------------------------------------------------------------


FINDING_COLUMNS = ["Finding", "Area", "Severity", "Status", "Building", "Department", "Regulation", "Description",
                   "Owner", "Due", "Done by", "Verified by"]


def _findings(request):
    findings = selectors.finding_list(request.user)
    status = request.GET.get("status", "")
    if status in Finding.Status.values:
        findings = findings.filter(status=status)
    if request.GET.get("overdue"):
        findings = findings.filter(status=Finding.Status.OPEN, due_on__lt=selectors.today())
    if request.GET.get("mine"):
        findings = findings.filter(owner=request.user)
    return findings


@login_required
@require_GET
def finding_list(request):
    require(access.can_browse_inspections(request.user) or Finding.objects.filter(owner=request.user).exists())
    page = Paginator(_findings(request), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/inspections/finding_list.html", {
        "page": page, "findings": page.object_list, "status": request.GET.get("status", ""),
        "statuses": Finding.Status.choices, "today": selectors.today(),
    })


@login_required
@require_GET
def finding_export(request, fmt):
    require(access.can_browse_inspections(request.user) or Finding.objects.filter(owner=request.user).exists())
    rows = ([f"F-{f.pk}", f.get_area_display(), f.get_severity_display(), f.get_status_display(), f.building.code,
             f.department.code if f.department else "", f.regulation_reference, f.description,
             f.owner.username if f.owner else "", f.due_on, f.done_by.username if f.done_by else "",
             f.verified_by.username if f.verified_by else ""] for f in _findings(request))
    return export_response("findings", FINDING_COLUMNS, rows, fmt, sheet=_("Findings"))


def _render_finding(request, finding, *, done_form=None, plan_form=None, recommendation_form=None, status=200):
    user = request.user
    context = {
        "finding": finding,
        "can_do": finding.status == Finding.Status.OPEN and access.can_complete_action(user, finding),
        "can_verify": finding.status == Finding.Status.ACTION_DONE and access.can_verify_finding(user, finding),
        "can_plan": finding.status == Finding.Status.OPEN and access.can_conduct_inspections(user),
        "can_recommend": access.can_propose_recommendation(user),
        "done_form": done_form or ActionDoneForm(),
        "plan_form": plan_form or PlanForm(initial={"action": finding.action, "owner": finding.owner_id,
                                                    "due_on": finding.due_on, "severity": finding.severity}),
        "recommendation_form": recommendation_form or RecommendationForm(),
        "recommendations": finding.recommendations.all(),
        "photos": InspectionPhoto.objects.filter(result_id=finding.result_id) if finding.result_id else [],
        "history": finding.history.select_related("history_user").order_by("-history_date")[:30],
    }
    return render(request, "facilities/inspections/finding_detail.html", context, status=status)


@login_required
@require_GET
def finding_detail(request, pk):
    return _render_finding(request, get_object_or_404(selectors.finding_list(request.user), pk=pk))


@login_required
@require_POST
def finding_step(request, pk, step):
    """plan (the action), done, verify, reopen or recommend."""
    user = request.user
    finding = get_object_or_404(selectors.finding_list(user), pk=pk)
    form_classes = {"plan": PlanForm, "done": ActionDoneForm, "reopen": ActionDoneForm,
                    "recommend": RecommendationForm}
    if step not in (*form_classes, "verify"):
        raise Http404
    form = form_classes[step](request.POST) if step in form_classes else None
    if form is not None and not form.is_valid():
        name = {"plan": "plan_form", "done": "done_form", "reopen": "done_form",
                "recommend": "recommendation_form"}[step]
        return _render_finding(request, finding, **{name: form}, status=400)
    data = form.cleaned_data if form is not None else {}
    actions = {
        "plan": lambda: services.plan_action(actor=user, finding=finding, **data),
        "done": lambda: services.complete_action(actor=user, finding=finding, note=data["note"]),
        "verify": lambda: services.verify_finding(actor=user, finding=finding),
        "reopen": lambda: services.reopen_finding(actor=user, finding=finding, reason=data["note"]),
        "recommend": lambda: services.propose_recommendation(actor=user, finding=finding, **data),
    }
    try:
        actions[step]()
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Finding F-%(n)s updated.") % {"n": finding.pk})
    return redirect(finding)


# Recommendations and the dashboard ------------------------------------------------------------------------


@login_required
@require_GET
def recommendation_list(request):
    require(access.can_browse_inspections(request.user))
    recommendations = selectors.recommendation_list(request.user)
    page = Paginator(recommendations, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/inspections/recommendation_list.html", {
        "page": page, "recommendations": page.object_list,
        "can_decide": access.can_decide_recommendation(request.user),
    })


@login_required
@require_POST
def recommendation_decide(request, pk, to):
    recommendation = get_object_or_404(selectors.recommendation_list(request.user), pk=pk)
    if to not in Recommendation.Status.values:
        raise Http404
    try:
        services.decide_recommendation(actor=request.user, recommendation=recommendation, to=to)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    return redirect("facilities:recommendation-list")


@login_required
@require_GET
def dashboard(request):
    """Compliance % per area, building and department, open findings by severity, and readiness."""
    user = request.user
    require(access.can_browse_inspections(user))
    today = selectors.today()
    start = today - dt.timedelta(days=90)
    department = None
    if request.GET.get("department", "").isdigit():
        department = Department.objects.visible_to(user).filter(pk=int(request.GET["department"])).first()
    context = {
        "start": start, "end": today, "department": department,
        "by_area": selectors.compliance(user, start=start, end=today, department=department),
        "by_building": selectors.compliance(user, start=start, end=today, by="building", department=department),
        "by_department": selectors.compliance(user, start=start, end=today, by="department", department=department),
        "severity": selectors.open_findings_by_severity(user, department=department),
        "readiness": selectors.readiness(user),
        "departments": Department.objects.visible_to(user).filter(is_active=True).order_by("path"),
        "is_manager": roles.is_hospital_wide(user),
    }
    return render(request, "facilities/inspections/dashboard.html", context)
