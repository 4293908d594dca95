"""The auto-scheduler's pages: generate a draft roster (with live progress, cancel, accept, discard),
cell locks, the coverage gaps explained and the fairness of the roster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hospital_ops.pages import refused, require

from .. import access, generation_selectors, generation_services, selectors
from ..generation_forms import GapForm, GenerateForm, GeneratorSettingsForm, LockForm
from ..models import Generation, GeneratorSettings, Schedule
from ._common import _uses_rosters


def _schedule(request, pk) -> Schedule:
    require(_uses_rosters(request.user))
    return get_object_or_404(selectors.schedule_list(request.user).select_related("department"), pk=pk)


def _run(schedule: Schedule, run_pk) -> Generation:
    return get_object_or_404(Generation.objects.select_related("job"), schedule=schedule, pk=run_pk)


def _progress_context(schedule, run, can_schedule) -> dict:
    points = ""
    trace = run.trace or [] if run else []
    if len(trace) >= 2:
        top = max(score for _t, score in trace) or 1
        low = min(score for _t, score in trace)
        span_t = max(trace[-1][0], 0.1)
        span_s = max(top - low, 1)
        points = " ".join(f"{100 * t / span_t:.1f},{28 - 26 * (s - low) / span_s:.1f}" for t, s in trace)
    return {"schedule": schedule, "run": run, "points": points, "can_schedule": can_schedule}


@login_required
@require_http_methods(["GET", "POST"])
def generate(request, pk):
    schedule = _schedule(request, pk)
    user = request.user
    can_schedule = access.can_schedule(user, schedule.department)
    form = GenerateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(can_schedule)
        if form.is_valid():
            try:
                generation_services.start_generation(
                    actor=user, schedule=schedule, keep=form.cleaned_data["keep"],
                    time_limit=form.cleaned_data["time_limit"],
                )
            except PermissionDenied as error:
                raise Http404 from error
            except ValidationError as error:
                form.add_error(None, error)
                status = 409
            else:
                messages.success(request, _("Generation queued; progress shows below."))
                return redirect("staffing:schedule-generate", schedule.pk)
        else:
            status = 400
    run = generation_selectors.latest_generation(schedule)
    context = {
        **generation_selectors.roster_review(schedule, run),
        **_progress_context(schedule, run, can_schedule),
        "form": form,
        "lock_form": LockForm(),
        "settings_form": GeneratorSettingsForm(instance=generation_services.generator_settings_of(schedule.department)),
        "can_set_weight": access.can_set_up_unit(user, schedule.department),
        "can_start": can_schedule and schedule.is_editable and not (run and run.is_open),
    }
    return render(request, "staffing/generate.html", context, status=status)


@login_required
@require_GET
def generate_gap(request, pk):
    """One gap of the roster with each person who could have covered it and why not (the generation page
    asks for it when a gap is opened): `?date=YYYY-MM-DD&shift=<shift type id>&skill=<skill id or empty>`."""
    schedule = _schedule(request, pk)
    form = GapForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Send the day, the shift type and the skill of a gap."),
                                      content_type="text/plain")
    gap = generation_selectors.gap_explained(schedule, day=form.cleaned_data["date"],
                                             shift_type_id=form.cleaned_data["shift"],
                                             skill_id=form.cleaned_data["skill"])
    return render(request, "staffing/_gap_candidates.html", {"gap": gap, "schedule": schedule})


@login_required
@require_GET
def generate_progress(request, pk, run_pk):
    schedule = _schedule(request, pk)
    run = _run(schedule, run_pk)
    context = _progress_context(schedule, run, access.can_schedule(request.user, schedule.department))
    return render(request, "staffing/_generation_progress.html", context)


@login_required
@require_POST
def generate_action(request, pk, run_pk, action):
    schedule = _schedule(request, pk)
    run = _run(schedule, run_pk)
    act = {
        "accept": generation_services.accept_generation,
        "discard": generation_services.discard_generation,
        "cancel": generation_services.cancel_generation,
    }.get(action)
    require(act is not None)
    try:
        act(actor=request.user, generation=run)
    except (PermissionDenied, ValidationError) as error:
        refused(request, error)
    else:
        messages.success(request, {"accept": _("Generated roster accepted."),
                                   "discard": _("Generated roster discarded; the cells from before are back."),
                                   "cancel": _("Stopping; the best roster found so far will be kept.")}[action])
    return redirect("staffing:schedule-generate", schedule.pk)


@login_required
@require_POST
def cell_lock(request, pk):
    schedule = _schedule(request, pk)
    form = LockForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Send a person, a day and whether to lock."), content_type="text/plain")
    employee = selectors.roster_cell_employee(schedule, form.cleaned_data["employee"], form.cleaned_data["date"])
    if employee is None:
        return HttpResponseBadRequest(_("This cell is not on this roster."), content_type="text/plain")
    try:
        generation_services.set_lock(actor=request.user, schedule=schedule, employee=employee,
                                     date=form.cleaned_data["date"], locked=form.cleaned_data["locked"])
    except (PermissionDenied, ValidationError) as error:
        refused(request, error)
    nxt = request.POST.get("next", "")
    if nxt == "roster":
        return redirect(schedule.get_absolute_url())
    return redirect("staffing:schedule-generate", schedule.pk)


@login_required
@require_POST
def generator_settings(request, pk):
    schedule = _schedule(request, pk)
    require(access.can_set_up_unit(request.user, schedule.department))
    instance = GeneratorSettings.objects.filter(department=schedule.department).first() or GeneratorSettings(
        department=schedule.department)
    form = GeneratorSettingsForm(request.POST, instance=instance)
    if form.is_valid():
        try:
            data = form.cleaned_data
            generation_services.set_fairness_weight(actor=request.user, department=schedule.department,
                                                    weight=data["fairness_weight"],
                                                    labour_limits_hard=data["labour_limits_hard"],
                                                    labour_limit_weight=data["labour_limit_weight"])
        except (PermissionDenied, ValidationError) as error:
            refused(request, error)
        else:
            messages.success(request, _("Generator settings saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("staffing:schedule-generate", schedule.pk)
