"""Inspection set-up pages: templates with their checklist items grouped by area (regulation reference and
guidance, asked in position order), and the recurring schedules per building or unit. They are kept by
whoever conducts inspections (inspectors and hospital-wide roles); anyone else is answered 404.

An item some inspection has answered is never deleted: it leaves use, and the record keeps it."""

from __future__ import annotations

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import stream_export
from hospital_ops.pages import form_data, form_page, label_empty_choices, refused, require

from .. import access
from .. import inspection_selectors as selectors
from .. import inspection_services as services
from ..inspection_filters import ScheduleFilter, TemplateFilter
from ..inspection_forms import ScheduleForm, TemplateForm, TemplateItemForm
from ..models import TemplateItem

PER_PAGE = 50
FORM_TEMPLATE = "facilities/form.html"


def _keeper(request) -> None:
    require(access.can_conduct_inspections(request.user))


def _filtered(request, filter_class, queryset):
    filterset = filter_class(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


# Templates ------------------------------------------------------------------------------------------------

TEMPLATE_COLUMNS = ["Template", "Purpose", "Checks in use", "Active schedules", "In use"]


@login_required
@require_GET
def template_list(request):
    _keeper(request)
    filterset, templates = _filtered(request, TemplateFilter, selectors.template_list(request.user))
    page = Paginator(templates, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/inspections/template_list.html",
                  {"filter": filterset, "page": page, "rows": page.object_list})


@login_required
@require_GET
def template_export(request, fmt):
    _keeper(request)
    _filter, templates = _filtered(request, TemplateFilter, selectors.template_list(request.user))
    rows = ([t.name, t.get_purpose_display(), t.item_count, t.schedule_count, "yes" if t.is_active else "no"]
            for t in templates.iterator(chunk_size=2000))
    return stream_export("inspection-templates", TEMPLATE_COLUMNS, rows, fmt, sheet=_("Inspection templates"))


@login_required
@require_GET
def template_detail(request, pk):
    _keeper(request)
    template = get_object_or_404(selectors.template_list(request.user), pk=pk)
    areas: dict[str, list[TemplateItem]] = {}
    for item in selectors.template_items(template):
        areas.setdefault(item.get_area_display(), []).append(item)
    return render(request, "facilities/inspections/template_detail.html", {
        "template": template, "areas": areas,
        "schedules": selectors.schedule_list(request.user).filter(template=template),
        "history": template.history.select_related("history_user").order_by("-history_date")[:30],
    })


def _template_form_page(request, instance=None):
    user = request.user
    _keeper(request)
    return form_page(
        request, TemplateForm(request.POST or None, instance=copy(instance) if instance else None), FORM_TEMPLATE,
        save=lambda form: services.save_template(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Template %(name)s saved.") % {"name": saved.name},
        then=lambda saved: reverse("facilities:inspection-template-detail", args=[saved.pk]),
        context={"title": _("Edit %(name)s") % {"name": instance.name} if instance else _("New inspection template"),
                 "cancel": reverse("facilities:inspection-template-detail", args=[instance.pk]) if instance
                 else reverse("facilities:inspection-template-list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_create(request):
    return _template_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, pk):
    _keeper(request)
    return _template_form_page(request, get_object_or_404(selectors.template_list(request.user), pk=pk))


# Checklist items ------------------------------------------------------------------------------------------


def _item_form_page(request, template, instance=None):
    user = request.user
    back = reverse("facilities:inspection-template-detail", args=[template.pk])
    return form_page(
        request, TemplateItemForm(request.POST or None, instance=copy(instance) if instance else None),
        FORM_TEMPLATE,
        save=lambda form: services.save_template_item(actor=user, template=template, instance=instance,
                                                      data=form_data(form)),
        success=lambda saved: _("Check saved."),
        then=lambda saved: back,
        context={"title": _("Edit a check of %(name)s") % {"name": template.name} if instance
                 else _("New check for %(name)s") % {"name": template.name}, "cancel": back},
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    _keeper(request)
    return _item_form_page(request, get_object_or_404(selectors.template_list(request.user), pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    _keeper(request)
    item = get_object_or_404(TemplateItem.objects.visible_to(request.user).select_related("template"), pk=pk)
    return _item_form_page(request, item.template, item)


@login_required
@require_POST
def item_remove(request, pk):
    _keeper(request)
    item = get_object_or_404(TemplateItem.objects.visible_to(request.user).select_related("template"), pk=pk)
    try:
        deleted = services.remove_template_item(actor=request.user, item=item)
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Check removed.") if deleted else _(
            "Inspections have answered this check, so it is kept for their record and taken out of use."))
    return redirect("facilities:inspection-template-detail", item.template_id)


# Schedules ------------------------------------------------------------------------------------------------

SCHEDULE_COLUMNS = ["Template", "Building", "Unit", "Every (months)", "Per shift", "First due", "Active"]


@login_required
@require_GET
def schedule_list(request):
    _keeper(request)
    filterset, schedules = _filtered(request, ScheduleFilter, selectors.schedule_list(request.user))
    page = Paginator(schedules, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "facilities/inspections/schedule_list.html",
                  {"filter": filterset, "page": page, "rows": page.object_list})


@login_required
@require_GET
def schedule_export(request, fmt):
    _keeper(request)
    _filter, schedules = _filtered(request, ScheduleFilter, selectors.schedule_list(request.user))
    rows = ([s.template.name, s.building.code if s.building else "", s.department.code if s.department else "",
             s.every_months, "yes" if s.per_shift else "no", s.starts_on, "yes" if s.is_active else "no"]
            for s in schedules.iterator(chunk_size=2000))
    return stream_export("inspection-schedules", SCHEDULE_COLUMNS, rows, fmt, sheet=_("Inspection schedules"))


@login_required
@require_GET
def schedule_detail(request, pk):
    _keeper(request)
    schedule = get_object_or_404(selectors.schedule_list(request.user), pk=pk)
    return render(request, "facilities/inspections/schedule_detail.html", {
        "schedule": schedule,
        "inspections": selectors.inspection_list(request.user).filter(schedule=schedule)[:20],
        "history": schedule.history.select_related("history_user").order_by("-history_date")[:30],
    })


def _schedule_form_page(request, instance=None):
    user = request.user
    _keeper(request)
    initial = {"template": request.GET["template"]} if request.GET.get("template", "").isdigit() else None
    return form_page(
        request, ScheduleForm(request.POST or None, instance=copy(instance) if instance else None, initial=initial),
        FORM_TEMPLATE,
        save=lambda form: services.save_schedule(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Schedule saved."),
        then=lambda saved: reverse("facilities:inspection-schedule-detail", args=[saved.pk]),
        context={"title": _("Edit schedule") if instance else _("New inspection schedule"),
                 "cancel": reverse("facilities:inspection-schedule-detail", args=[instance.pk]) if instance
                 else reverse("facilities:inspection-schedule-list")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule_create(request):
    return _schedule_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk):
    _keeper(request)
    return _schedule_form_page(request, get_object_or_404(selectors.schedule_list(request.user), pk=pk))
