"""Pages: the home page, the reports archive, requesting a report and watching it build, schedules."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facilities import equipment_selectors
from records import selectors
from records.models import Department
from staffing import selectors as staffing_selectors

from . import access, services
from . import selectors as report_selectors
from .forms import ReportRequestForm, ScheduleForm
from .models import ReportKind, ReportRun
from .throttling import allow_page_request


@login_required
@require_GET
def home(request):
    user = request.user
    if access.is_board_only(user):
        return _archive(request)  # the board's landing page is its reports archive
    context = {
        "roles": access.role_names(user),
        "board_only": False,
        "show_figures": access.can_browse_people(user),
        "show_finance": access.is_finance_officer(user),
    }
    if context["show_figures"]:
        context["figures"] = selectors.records_figures(user)
    context["inbox"] = staffing_selectors.decisions_waiting(user)
    context["life_support_down"] = list(equipment_selectors.life_support_down(user)[:10])
    if context["show_finance"]:
        context["department_count"] = Department.objects.visible_to(user).filter(is_active=True).count()
    own = selectors.employee_detail(user).filter(user_id=user.pk).first()
    if own is not None:
        context["own"] = own
        context["own_credentials"] = sorted(
            own.credentials.all(), key=lambda c: (c.expiry_date is None, c.expiry_date, c.pk)
        )
    return render(request, "reports/home.html", context)


# Archive and runs -----------------------------------------------------------------------------------------


def _archive(request):
    user = request.user
    board_only = access.is_board_only(user)
    runs = report_selectors.board_archive(user) if board_only else report_selectors.run_list(user)
    kind = request.GET.get("kind", "")
    if kind in ReportKind.values and not board_only:
        runs = runs.filter(kind=kind)
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "reports/archive.html", {
        "page": page,
        "runs": page.object_list,
        "board_only": board_only,
        "kind": kind,
        "kinds": ReportKind.choices,
        "can_request": access.can_request_reports(user),
        "can_manage_schedules": access.can_manage_report_schedules(user),
    })


@login_required
@require_GET
def archive(request):
    return _archive(request)


def _visible_run(request, pk: int) -> ReportRun:
    return get_object_or_404(report_selectors.run_list(request.user), pk=pk)


@login_required
@require_GET
def run_detail(request, pk: int):
    run = _visible_run(request, pk)
    return render(request, "reports/run_detail.html", {
        "run": run,
        "can_regenerate": run.is_finished and access.can_request_run(request.user, run),
        "downloads": run.downloads.select_related("user")[:10] if access.can_see_downloads(request.user) else [],
    })


@login_required
@require_GET
def run_progress(request, pk: int):
    """The progress panel alone, polled by HTMX while the run is queued or running."""
    return render(request, "reports/_run_progress.html", {"run": _visible_run(request, pk)})


def client_ip(request) -> str | None:
    """The caller's address: the first X-Forwarded-For hop behind the proxy, else the socket's peer."""
    candidates = []
    if settings.SECURE_PROXY_SSL_HEADER:
        candidates.append(request.headers.get("X-Forwarded-For", "").split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_response(run: ReportRun) -> FileResponse:
    response = FileResponse(run.file.open("rb"), as_attachment=True, filename=run.download_name,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_download(request, run: ReportRun):
    """The run's PDF, with the download recorded (who, when, from where); 404 while there is none."""
    if run.status != ReportRun.Status.SUCCEEDED or not run.file or not run.file.storage.exists(run.file.name):
        raise Http404
    services.record_download(run=run, user=request.user, ip_address=client_ip(request),
                             user_agent=request.headers.get("User-Agent", ""))
    return pdf_response(run)


@login_required
@require_GET
def run_download(request, pk: int):
    return serve_download(request, _visible_run(request, pk))


def serve_workbook(request, run: ReportRun):
    """The full named list built beside the PDF (compliance), with the download recorded; 404 when the run
    has none."""
    if run.status != ReportRun.Status.SUCCEEDED or not run.workbook or not run.workbook.storage.exists(
        run.workbook.name
    ):
        raise Http404
    services.record_download(run=run, user=request.user, ip_address=client_ip(request),
                             user_agent=request.headers.get("User-Agent", ""))
    response = FileResponse(run.workbook.open("rb"), as_attachment=True, filename=run.workbook_download_name,
                            content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def run_workbook(request, pk: int):
    return serve_workbook(request, _visible_run(request, pk))


@login_required
@require_POST
def run_regenerate(request, pk: int):
    run = _visible_run(request, pk)
    allowed, refusal = allow_page_request(request)
    if not allowed:
        messages.error(request, refusal)
        return redirect(run)
    try:
        services.request_report(kind=run.kind, period=run.period, scope=run.scope, requested_by=request.user,
                                regenerate=True)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])) or "Not allowed.")
    return redirect(run)


@login_required
@require_http_methods(["GET", "POST"])
def run_request(request):
    user = request.user
    if not access.can_request_reports(user):
        raise Http404
    form = ReportRequestForm(
        request.POST or None,
        departments=access.requestable_departments(user),
        hospital_wide=access.can_report_on(user, None),
        kinds=access.requestable_kinds(user),
    )
    if not form.is_bound:
        form.choose_kind(request.GET.get("kind"))  # the period list fits the report chosen
    status = 200
    if request.method == "POST" and form.is_valid():
        allowed, refusal = allow_page_request(request)
        if not allowed:
            form.add_error(None, refusal)
            status = 429
        else:
            try:
                run, queued = services.request_report(requested_by=user, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                    form.add_error(None if field == "__all__" or field not in form.fields else field, errors)
            except PermissionDenied as error:
                form.add_error("scope", str(error) or "You may not request this report.")
            else:
                if not queued:
                    messages.info(request, "This report already exists for that period and scope: here it is.")
                return redirect(run)
    return render(request, "reports/run_request.html", {"form": form}, status=status)


# Schedules ---------------------------------------------------------------------------------------------


def _schedules_or_404(user):
    if not access.can_manage_report_schedules(user):
        raise Http404
    return report_selectors.schedule_list(user)


@login_required
@require_GET
def schedule_list(request):
    return render(request, "reports/schedule_list.html", {"schedules": _schedules_or_404(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def schedule_edit(request, pk: int | None = None):
    schedule = get_object_or_404(_schedules_or_404(request.user), pk=pk) if pk else None
    _schedules_or_404(request.user)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.save_schedule(actor=request.user, data=data, schedule=schedule)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Report schedule saved.")
            return redirect("reports:schedule-list")
    return render(request, "reports/schedule_form.html", {"form": form, "schedule": schedule})


@login_required
@require_POST
def schedule_toggle(request, pk: int):
    schedule = get_object_or_404(_schedules_or_404(request.user), pk=pk)
    schedule = services.set_schedule_active(actor=request.user, schedule=schedule, active=not schedule.is_active)
    messages.success(request, f"“{schedule.name}” {'resumed' if schedule.is_active else 'paused'}.")
    return redirect("reports:schedule-list")
