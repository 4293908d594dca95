"""Equipment pages: the register with its exports, an asset and its QR label, work orders and their
lifecycle, and the utilisation of diagnostic equipment (with the usage CSV import).

Everything is looked up through a scoped selector, so another department's asset or work order is a 404.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from copy import copy

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.exports import export_response
from hospital_ops.pages import form_data, form_page, label_empty_choices, refused, require
from hospital_ops.scoping import hospital_zone
from records import access as roles
from records.models import Department

from .. import access
from .. import equipment_selectors as selectors
from .. import equipment_services as services
from ..equipment_filters import AssetFilter, WorkOrderFilter
from ..equipment_forms import (
    AssetForm,
    CompleteForm,
    FaultForm,
    HoldForm,
    MaintenancePlanForm,
    OperatingHoursForm,
    UsageImportForm,
)
from ..models import Asset, EquipmentKind, MaintenancePlan, WorkOrder

ASSETS_PER_PAGE = 50
ORDERS_PER_PAGE = 50
IMPORT_MAX_BYTES = 20 * 1024 * 1024
IMPORT_MAX_ROWS = 200_000
UTILISATION_MAX_DAYS = 400

ASSET_COLUMNS = ["Tag", "Kind", "Manufacturer", "Model", "Serial", "Department", "Building", "Room", "Criticality",
                 "Acquired", "Cost", "Expected life (years)", "Status", "Open work orders"]


def _asset_row(asset: Asset):
    room = asset.room
    return [asset.tag, asset.kind.name, asset.manufacturer, asset.model_name, asset.serial_number,
            asset.department.code, room.floor.building.code if room else "", room.number if room else "",
            asset.get_criticality_display(), asset.acquired_on, asset.acquisition_cost, asset.expected_life_years,
            asset.get_status_display(), asset.open_orders]


def _filtered_assets(request):
    filterset = AssetFilter(request.GET, queryset=selectors.asset_list(request.user), request=request)
    label_empty_choices(filterset.form, _("All"))
    return filterset, (filterset.qs if filterset.is_valid() else selectors.asset_list(request.user).none())


@login_required
@require_GET
def asset_list(request):
    require(access.can_browse_equipment(request.user))
    filterset, assets = _filtered_assets(request)
    page = Paginator(assets, ASSETS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset, "page": page, "assets": page.object_list,
        "can_create": access.is_technician(request.user) or roles.acts_as(request.user, roles.HEAD),
        "life_support_down": selectors.life_support_down(request.user)[:20],
    }
    return render(request, "facilities/equipment/asset_list.html", context)


@login_required
@require_GET
def asset_export(request, fmt):
    require(access.can_browse_equipment(request.user))
    _filter, assets = _filtered_assets(request)
    return export_response("equipment", ASSET_COLUMNS, (_asset_row(a) for a in assets.iterator(chunk_size=2000)),
                           fmt, sheet=_("Equipment"))


def _manageable_departments(user):
    if access.is_technician(user):
        return Department.objects.filter(is_active=True).order_by("path")
    return roles.departments_where(user, roles.HEAD)


def _asset_form_page(request, instance: Asset | None = None):
    user = request.user
    departments = _manageable_departments(user)
    require(departments.exists() if instance is None else access.can_manage_assets(user, instance.department))
    return form_page(
        request,
        AssetForm(request.POST or None, instance=copy(instance) if instance else None, departments=departments),
        "facilities/equipment/asset_form.html",
        save=lambda form: services.save_asset(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Asset %(tag)s saved.") % {"tag": saved.tag},
        then=lambda saved: saved.get_absolute_url(),
        context={"asset": instance},
    )


@login_required
@require_http_methods(["GET", "POST"])
def asset_create(request):
    return _asset_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def asset_edit(request, pk):
    return _asset_form_page(request, get_object_or_404(selectors.asset_detail(request.user), pk=pk))


def _plan_form_page(request, instance: MaintenancePlan | None = None):
    user = request.user
    require(access.can_manage_maintenance_plans(user))
    assets = Asset.objects.visible_to(user).exclude(status=Asset.Status.RETIRED).order_by("tag")
    return form_page(
        request,
        MaintenancePlanForm(request.POST or None, instance=copy(instance) if instance else None, assets=assets,
                            search_url=reverse("facilities:asset-search")),
        "facilities/equipment/plan_form.html",
        save=lambda form: services.save_maintenance_plan(actor=user, instance=instance, data=form_data(form)),
        success=lambda saved: _("Maintenance plan %(name)s saved.") % {"name": saved.name},
        then=lambda saved: reverse("facilities:plan-edit", args=[saved.pk]),
        context={"plan": instance},
    )


ASSET_SEARCH_LIMIT = 20


@login_required
@require_GET
def asset_search(request):
    """Up to 20 assets the user may see (not retired) whose tag, serial, make or model holds every word typed,
    as `<option>`s for the plan form's suggestions (its asset field sends its value as `asset`)."""
    require(access.can_browse_equipment(request.user))
    text = (request.GET.get("q") or request.GET.get("asset") or "").strip()[:100]
    assets = []
    if text:
        found = AssetFilter({"q": text}, queryset=selectors.asset_detail(request.user)
                            .exclude(status=Asset.Status.RETIRED).order_by("tag"), request=request).qs
        assets = found[:ASSET_SEARCH_LIMIT]
    return render(request, "facilities/equipment/_asset_options.html", {"assets": assets})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request):
    return _plan_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    return _plan_form_page(request, get_object_or_404(selectors.maintenance_plan_list(request.user), pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def asset_operating_hours(request, pk):
    user = request.user
    asset = get_object_or_404(selectors.asset_detail(user), pk=pk)
    require(access.can_manage_assets(user, asset.department))
    return form_page(
        request,
        OperatingHoursForm(request.POST or None, current=asset.operating_hours.all()),
        "facilities/equipment/operating_hours_form.html",
        save=lambda form: services.set_operating_hours(actor=user, asset=asset, week=form.week()),
        success=lambda saved: _("Operating hours of %(tag)s saved.") % {"tag": asset.tag},
        then=lambda saved: asset.get_absolute_url(),
        context={"asset": asset},
    )


def _render_asset(request, asset: Asset, *, fault_form=None, status=200):
    user = request.user
    context = {
        "asset": asset,
        "work_orders": selectors.work_order_list(user).filter(asset=asset)[:25],
        "plans": selectors.plans_for(user, asset),
        "history": selectors.asset_history(asset),
        "fault_form": fault_form or FaultForm(),
        "can_edit": access.can_manage_assets(user, asset.department),
        "operating_hours": asset.operating_hours.all() if asset.kind.modality else [],
        "repair": next(iter(selectors.repair_times(user, by="asset", asset=asset)), None),
    }
    return render(request, "facilities/equipment/asset_detail.html", context, status=status)


@login_required
@require_GET
def asset_detail(request, pk):
    return _render_asset(request, get_object_or_404(selectors.asset_detail(request.user), pk=pk))


@login_required
@require_GET
def asset_label(request, pk):
    """A printable label: the tag, the kind and a QR code that opens the asset's page on a phone."""
    asset = get_object_or_404(selectors.asset_detail(request.user), pk=pk)
    url = request.build_absolute_uri(asset.get_absolute_url())
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=5, dark="#000", title=escape(asset.tag))
    return render(request, "facilities/equipment/asset_label.html",
                  {"asset": asset, "qr": mark_safe(svg), "url": url})  # noqa: S308 - segno escapes its text


@login_required
@require_POST
def asset_report_fault(request, pk):
    asset = get_object_or_404(selectors.asset_detail(request.user), pk=pk)
    form = FaultForm(request.POST)
    if form.is_valid():
        try:
            order = services.report_fault(actor=request.user, asset=asset, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        except PermissionDenied as denied:
            raise Http404 from denied
        else:
            messages.success(request, _("Fault reported as work order WO-%(n)s.") % {"n": order.pk})
            return redirect(order)
    return _render_asset(request, asset, fault_form=form, status=400)


# Work orders -----------------------------------------------------------------------------------------


ORDER_COLUMNS = ["Number", "Asset", "Kind", "Priority", "Status", "Title", "Department", "Due", "Reported",
                 "Assigned to", "Completed", "Labour hours", "Parts cost", "Downtime (hours)"]


def _filtered_orders(request):
    queryset = selectors.work_order_list(request.user)
    filterset = WorkOrderFilter(request.GET, queryset=queryset, request=request)
    label_empty_choices(filterset.form, _("All"))
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


@login_required
@require_GET
def work_order_list(request):
    require(access.can_browse_equipment(request.user))
    filterset, orders = _filtered_orders(request)
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page": page, "orders": page.object_list,
               "overdue": selectors.overdue_maintenance(request.user)[:10]}
    return render(request, "facilities/equipment/work_order_list.html", context)


@login_required
@require_GET
def work_order_export(request, fmt):
    require(access.can_browse_equipment(request.user))
    _filter, orders = _filtered_orders(request)

    def rows():
        for o in orders.iterator(chunk_size=2000):
            down = (o.downtime_end - o.downtime_start).total_seconds() / 3600 if o.downtime_end else None
            yield [f"WO-{o.pk}", o.asset.tag, o.get_kind_display(), o.get_priority_display(), o.get_status_display(),
                   o.title, o.asset.department.code, o.due_on, o.created_at.astimezone(hospital_zone()).replace(
                       tzinfo=None), o.assigned_to.username if o.assigned_to else "",
                   o.completed_at.astimezone(hospital_zone()).replace(tzinfo=None) if o.completed_at else None,
                   o.labour_hours, o.parts_cost, round(down, 2) if down is not None else None]

    return export_response("work-orders", ORDER_COLUMNS, rows(), fmt, sheet=_("Work orders"))


def _render_order(request, order: WorkOrder, *, hold_form=None, complete_form=None, status=200):
    user = request.user
    context = {
        "order": order,
        "can_work": access.can_work_on_orders(user),
        "can_verify": order.status == WorkOrder.Status.COMPLETED and access.can_verify_work_order(user, order),
        "hold_form": hold_form or HoldForm(),
        "complete_form": complete_form or CompleteForm(),
        "history": order.history.select_related("history_user").order_by("-history_date")[:30],
    }
    return render(request, "facilities/equipment/work_order_detail.html", context, status=status)


@login_required
@require_GET
def work_order_detail(request, pk):
    return _render_order(request, get_object_or_404(selectors.work_order_list(request.user), pk=pk))


@login_required
@require_POST
def work_order_step(request, pk, step):
    """assign (to oneself), start, hold, complete or verify."""
    user = request.user
    order = get_object_or_404(selectors.work_order_list(user), pk=pk)
    forms = {"hold": HoldForm, "complete": CompleteForm}
    form = forms[step](request.POST) if step in forms else None
    if form is not None and not form.is_valid():
        return _render_order(request, order, **{f"{step}_form": form}, status=400)
    actions = {
        "assign": lambda: services.assign_work_order(actor=user, work_order=order, assignee=user),
        "start": lambda: services.start_work_order(actor=user, work_order=order),
        "hold": lambda: services.hold_work_order(actor=user, work_order=order, **form.cleaned_data),
        "complete": lambda: services.complete_work_order(actor=user, work_order=order, **form.cleaned_data),
        "verify": lambda: services.verify_work_order(actor=user, work_order=order),
    }
    if step not in actions:
        raise Http404
    try:
        actions[step]()
    except (ValidationError, PermissionDenied) as error:
        refused(request, error)
    else:
        messages.success(request, _("Work order WO-%(n)s updated.") % {"n": order.pk})
    return redirect(order)


# Utilisation -------------------------------------------------------------------------------------------


def _date(value: str, default: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default
    return day if dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31) else default


def utilisation_chart(rows, low: float, high: float) -> str:
    """Horizontal bars of utilisation % per row, with the two threshold lines (inline SVG, no styles)."""
    left, width, bar, gap = 220, 420, 16, 6
    top = 24
    height = top + len(rows) * (bar + gap) + 10
    scale = max([100.0] + [row.total.pct or 0 for row in rows])
    x = lambda pct: left + width * pct / scale  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {left + width + 60} {height}" '
             f'role="img" aria-label="{escape(_("Utilisation"))}" font-size="11" font-family="sans-serif">']
    for value, colour in ((low, "#e0a800"), (high, "#c0392b")):
        parts.append(f'<line x1="{x(value):.1f}" x2="{x(value):.1f}" y1="12" y2="{height - 6}" stroke="{colour}" '
                     f'stroke-dasharray="4 3"/><text x="{x(value):.1f}" y="10" text-anchor="middle" '
                     f'fill="{colour}">{value:g} %</text>')
    for n, row in enumerate(rows):
        y = top + n * (bar + gap)
        pct = row.total.pct or 0
        colour = {"under": "#e0a800", "over": "#c0392b"}.get(row.flag, "#1f4e79")
        parts.append(f'<text x="{left - 6}" y="{y + bar - 4}" text-anchor="end">{escape(str(row.label)[:34])}</text>'
                     f'<rect x="{left}" y="{y}" width="{max(0.5, x(pct) - left):.1f}" height="{bar}" fill="{colour}">'
                     f'<title>{escape(str(row.label))}: {pct:g} %</title></rect>'
                     f'<text x="{x(pct) + 4:.1f}" y="{y + bar - 4}">{pct:g} %</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above


@login_required
@require_GET
def utilisation(request):
    user = request.user
    require(access.can_browse_equipment(user))
    today = selectors.today()
    end = _date(request.GET.get("end", ""), today - dt.timedelta(days=1))
    start = _date(request.GET.get("start", ""), end - dt.timedelta(days=29))
    if start > end or (end - start).days > UTILISATION_MAX_DAYS:
        messages.error(request, _("Choose a period of at most %(n)s days, starting before it ends.")
                       % {"n": UTILISATION_MAX_DAYS})
        start = end - dt.timedelta(days=29)
    by = request.GET.get("by") if request.GET.get("by") in ("asset", "modality", "department") else "modality"
    grain = request.GET.get("grain") if request.GET.get("grain") in ("day", "week", "month") else "week"
    modality = request.GET.get("modality", "")
    modality = modality if modality in EquipmentKind.Modality.values else ""
    department = None
    if request.GET.get("department", "").isdigit():
        department = Department.objects.visible_to(user).filter(pk=int(request.GET["department"])).first()
    rows = selectors.utilisation(user, start=start, end=end, by=by, grain=grain, department=department,
                                 modality=modality)
    buckets = sorted({bucket for row in rows for bucket in row.buckets})
    low, high = selectors.utilisation_thresholds()
    context = {
        "rows": rows, "buckets": buckets, "start": start, "end": end, "by": by, "grain": grain,
        "modality": modality, "department": department, "low": low, "high": high,
        "chart": utilisation_chart(rows, low, high) if rows else "",
        "modalities": [c for c in EquipmentKind.Modality.choices if c[0]],
        "departments": Department.objects.visible_to(user).filter(is_active=True).order_by("path"),
        "import_form": UsageImportForm(),
        "can_import": access.is_technician(user) or roles.acts_as(user, roles.HEAD),
        "table": [(row, [row.buckets.get(bucket) for bucket in buckets]) for row in rows],
    }
    return render(request, "facilities/equipment/utilisation.html", context)


def parse_usage_csv(text: str, user) -> list[dict]:
    """Rows of a usage CSV (sender_id, asset_tag, start, end, exam_type) with assets the user can see;
    a row that cannot be read is a ValidationError naming its line."""
    reader = csv.DictReader(io.StringIO(text))
    wanted = {"sender_id", "asset_tag", "start", "end"}
    if not reader.fieldnames or not wanted <= {name.strip() for name in reader.fieldnames}:
        raise ValidationError(_("The file needs the columns sender_id, asset_tag, start, end (and exam_type)."))
    raw = []
    for line, record in enumerate(reader, start=2):
        if line - 1 > IMPORT_MAX_ROWS:
            raise ValidationError(_("Import at most %(n)s sessions a file.") % {"n": IMPORT_MAX_ROWS})
        record = {(k or "").strip(): (v or "").strip() for k, v in record.items()}
        raw.append((line, record))
    tags = {record["asset_tag"] for _line, record in raw}
    assets = {a.tag: a for a in Asset.objects.visible_to(user).filter(tag__in=tags).select_related("department")}
    rows, errors = [], []
    zone = hospital_zone()
    for line, record in raw:
        asset = assets.get(record["asset_tag"])
        starts_at, ends_at = parse_datetime(record["start"] or "x"), parse_datetime(record["end"] or "x")
        sender = record["sender_id"]
        if not sender or len(sender) > 80:
            errors.append(_("Line %(n)s: a sender id of 1 to 80 characters is needed.") % {"n": line})
        elif asset is None:
            errors.append(_("Line %(n)s: no asset tagged %(tag)s.") % {"n": line, "tag": record["asset_tag"][:40]})
        elif starts_at is None or ends_at is None:
            errors.append(_("Line %(n)s: start and end must be dates and times.") % {"n": line})
        else:
            starts_at = starts_at if starts_at.tzinfo else starts_at.replace(tzinfo=zone)
            ends_at = ends_at if ends_at.tzinfo else ends_at.replace(tzinfo=zone)
            if not (dt.date(2000, 1, 1) <= starts_at.date() <= dt.date(2100, 12, 31)):
                errors.append(_("Line %(n)s: the date is out of range.") % {"n": line})
                continue
            rows.append({"sender_id": sender, "asset": asset, "starts_at": starts_at, "ends_at": ends_at,
                         "exam_type": record.get("exam_type", "")[:80]})
        if len(errors) >= 20:
            break
    if errors:
        raise ValidationError(errors)
    return rows


@login_required
@require_POST
def usage_import(request):
    user = request.user
    require(access.can_browse_equipment(user))
    form = UsageImportForm(request.POST, request.FILES)
    target = reverse("facilities:utilisation")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(target)
    upload = form.cleaned_data["file"]
    if upload.size > IMPORT_MAX_BYTES:
        messages.error(request, _("The file is larger than 20 MB."))
        return redirect(target)
    try:
        text = upload.read().decode("utf-8-sig")
        result = services.record_usage_sessions(actor=user, rows=parse_usage_csv(text, user))
    except UnicodeDecodeError:
        messages.error(request, _("The file is not UTF-8 text."))
    except (ValidationError, PermissionDenied) as error:
        if isinstance(error, PermissionDenied) and not str(error):
            messages.error(request, _("You may not record usage for some of these assets."))
        else:
            refused(request, error)
    else:
        messages.success(request, _("%(created)s sessions imported, %(skipped)s already known.") % result)
    return redirect(target)
