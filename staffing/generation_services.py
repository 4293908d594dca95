"""Generating a draft roster with the auto-scheduler, and the cell locks it keeps.

`start_generation` queues a run (one open run per roster: a second is refused, by the database too);
the Celery task calls `run_generation`, which solves in the worker with live progress on the job,
stops on a cancel keeping the best roster found, and writes the result as draft cells in one
transaction through the same writer as every cell edit (`services._apply`, rules checked, history
kept). The scheduler then accepts it, or discards it and gets the cells from before back. A task
delivered again after a worker restart re-runs the same generation; only its latest attempt may
write, and a generation that has finished is never run again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hospital_ops import jobs
from hospital_ops.history import save_checked
from records.models import Employee

from . import access, rules, services, tasks
from .models import CellLock, Generation, GeneratorSettings, Schedule
from .scheduler import explain
from .scheduler import model as sched_model
from .scheduler import solve as sched_solve

JOB_KIND = "roster-generation"
CONFLICT = services.CONFLICT
DEFAULT_FAIRNESS_WEIGHT = 10
REPAIR_CHANGE_WEIGHT = 20  # per changed cell when finding cover: under a person short (100), above preferences


def fairness_weight_of(department) -> int:
    """The unit's fairness weight (its generator settings), or the default."""
    found = GeneratorSettings.objects.filter(department=department).values_list("fairness_weight", flat=True).first()
    return DEFAULT_FAIRNESS_WEIGHT if found is None else found


def generator_settings_of(department) -> GeneratorSettings:
    """The unit's generator settings, or (unsaved) the defaults, in one query."""
    return GeneratorSettings.objects.filter(department=department).first() or GeneratorSettings(
        department=department, fairness_weight=DEFAULT_FAIRNESS_WEIGHT)


def limit_weight_of(department) -> int | None:
    """The price the unit's generator puts on each labour-limit breach (its generator settings), or None
    when the unit keeps its labour limits as hard. Without settings: weighted, at the default price."""
    found = GeneratorSettings.objects.filter(department=department).first()
    return found.limit_weight if found is not None else GeneratorSettings().limit_weight


def _save(obj, reason: str):
    return save_checked(obj, reason)


def _cells_json(cells: list[rules.Cell]) -> list[list]:
    return [[c.employee_id, c.date.isoformat(), c.shift_type_id] for c in sorted(cells)]


def cells_from_json(rows) -> list[rules.Cell]:
    return [rules.Cell(int(e), dt.date.fromisoformat(d), int(s)) for e, d, s in rows]


def roster_cells(schedule: Schedule) -> list[rules.Cell]:
    return sorted(
        rules.Cell(e, d, s) for e, d, s in schedule.assignments.values_list("employee_id", "date", "shift_type_id")
    )


# Locks ----------------------------------------------------------------------------------------------


@transaction.atomic
def set_lock(*, actor, schedule: Schedule, employee: Employee, date: dt.date, locked: bool) -> bool:
    """Lock or unlock one cell of a draft roster; answers whether it is locked now."""
    schedule = services._locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    services._require_draft(schedule)
    if date not in set(schedule.days):
        raise ValidationError(_("This date is not on this roster."))
    existing = CellLock.objects.filter(schedule=schedule, employee=employee, date=date).first()
    if locked and existing is None:
        _save(CellLock(schedule=schedule, employee=employee, date=date, locked_by=actor),
              f"locked by {actor.get_username()}")
    elif not locked and existing is not None:
        existing._change_reason = f"unlocked by {actor.get_username()}"
        existing.delete()
    return locked


# Starting, cancelling, deciding -------------------------------------------------------------------


@transaction.atomic
def start_generation(*, actor, schedule: Schedule, keep: str = Generation.Keep.ALL,
                     time_limit: int = 60, seed: int = 0) -> Generation:
    schedule = services._locked(schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    services._require_draft(schedule)
    if Generation.objects.filter(schedule=schedule, state__in=Generation.OPEN).exists():
        raise ValidationError(
            _("This roster is already being generated, or a generated roster awaits a decision."), code=CONFLICT
        )
    job = jobs.create_job(kind=JOB_KIND, owner=actor, department=schedule.department,
                          message=_("Waiting for a worker…"))
    generation = Generation(
        schedule=schedule, job=job, requested_by=actor, keep=keep, time_limit=time_limit, seed=seed,
        fairness_weight=fairness_weight_of(schedule.department), limit_weight=limit_weight_of(schedule.department),
    )
    try:
        with transaction.atomic():
            _save(generation, f"generation asked by {actor.get_username()}")
    except IntegrityError as error:
        raise ValidationError(_("This roster is already being generated."), code=CONFLICT) from error
    tasks.run_generation.delay_on_commit(generation.pk)
    return generation


def _locked_generation(generation: Generation) -> Generation:
    return Generation.objects.select_for_update().select_related("job").get(pk=generation.pk)


def cancel_generation(*, actor, generation: Generation) -> Generation:
    """Stop a run: a queued one at once, a running one when it next looks, keeping its best roster."""
    if not access.can_schedule(actor, generation.schedule.department):
        raise PermissionDenied
    with transaction.atomic():
        generation = _locked_generation(generation)
        if generation.state not in (Generation.State.QUEUED, Generation.State.RUNNING):
            raise ValidationError(_("This run has already finished."), code=CONFLICT)
        job = jobs.request_cancel(job=generation.job, actor=actor)
        if job.status == job.Status.CANCELLED:
            generation.state = Generation.State.CANCELLED
            _save(generation, f"cancelled by {actor.get_username()}")
    return generation


def _decide(actor, generation: Generation) -> tuple[Schedule, Generation]:
    schedule = services._locked(generation.schedule)
    if not access.can_schedule(actor, schedule.department):
        raise PermissionDenied
    generation = _locked_generation(generation)
    if generation.state != Generation.State.PROPOSED:
        raise ValidationError(_("Only a generated roster awaiting a decision can be accepted or discarded."),
                              code=CONFLICT)
    return schedule, generation


@transaction.atomic
def accept_generation(*, actor, generation: Generation) -> Generation:
    """Keep the generated cells. For a repair (finding cover), the head approves and only the people
    moved are told."""
    _schedule, generation = _decide(actor, generation)
    if generation.mode == Generation.Mode.REPAIR and not access.can_manage_department(actor, _schedule.department):
        raise PermissionDenied(_("A head of the unit approves the cover found."))
    generation.state, generation.decided_by, generation.decided_at = (
        Generation.State.ACCEPTED, actor, timezone.now())
    _save(generation, f"accepted by {actor.get_username()}")
    if generation.mode == Generation.Mode.REPAIR:
        people = moved_people(generation)
        if people:
            tasks.notify_moved.delay_on_commit(
                generation.schedule_id, people, _("Your shifts on this roster changed to cover an absence."))
    return generation


def moved_people(generation: Generation) -> list[int]:
    """Whose cells a run changed, the absent people aside."""
    old = {(c.employee_id, c.date): c.shift_type_id for c in cells_from_json(generation.before)}
    new = {(c.employee_id, c.date): c.shift_type_id for c in cells_from_json(generation.after)}
    absent = {int(e) for e, _d in generation.absent}
    return sorted({e for (e, d) in old.keys() | new.keys() if old.get((e, d)) != new.get((e, d))} - absent)


@transaction.atomic
def discard_generation(*, actor, generation: Generation) -> Generation:
    """Put the cells from before the run back, in one transaction."""
    schedule, generation = _decide(actor, generation)
    services._require_draft(schedule)
    _write(schedule, cells_from_json(generation.before), reason=f"generation {generation.pk} discarded")
    generation.state, generation.decided_by, generation.decided_at = (
        Generation.State.DISCARDED, actor, timezone.now())
    return _save(generation, f"discarded by {actor.get_username()}")


def _write(schedule: Schedule, cells: list[rules.Cell], *, reason: str) -> tuple[list[rules.Cell], int]:
    """Make the roster's cells exactly `cells` (the caller holds the roster's lock). (cells before, changed)."""
    ctx = rules.load_context(schedule)
    before = roster_cells(schedule)
    old = {(c.employee_id, c.date): c.shift_type_id for c in before}
    new = {(c.employee_id, c.date): c.shift_type_id for c in cells}
    employees = dict(ctx.employees)
    missing = {e for e, _d in old.keys() | new.keys()} - set(employees)
    employees.update(Employee.objects.in_bulk(missing))
    changes = [
        services.CellChange(employees[e], d, ctx.shift_types[new[(e, d)]] if (e, d) in new else None)
        for e, d in sorted(old.keys() | new.keys())
        if old.get((e, d)) != new.get((e, d))
    ]
    if changes:
        services._apply(schedule, changes, reason=reason)
    return before, len(changes)


# The run ------------------------------------------------------------------------------------------


def _claim(generation_id: int) -> tuple[Generation, int] | None:
    """Start (or, after a worker restart, start again) a queued or running generation; None when it
    has finished or was cancelled before it started."""
    with transaction.atomic():
        generation = Generation.objects.select_for_update().get(pk=generation_id)
        if generation.state not in (Generation.State.QUEUED, Generation.State.RUNNING):
            return None
        job = jobs.start_job(generation.job_id, message=_("Building the model…"))
        if job is None:
            generation.state = Generation.State.CANCELLED
            _save(generation, "cancelled before it started")
            return None
        generation.state = Generation.State.RUNNING
        generation.attempt += 1
        generation.trace = []
        _save(generation, f"run {generation.attempt} started")
        return generation, generation.attempt


def keep_for(generation: Generation, current: list[rules.Cell]) -> tuple[list[rules.Cell], set]:
    """(cells to keep, (employee, day) pairs that stay free) for a run's choice."""
    if generation.keep == Generation.Keep.NONE:
        return [], set()
    if generation.keep == Generation.Keep.ALL:
        return current, set()
    locks = set(CellLock.objects.filter(schedule=generation.schedule_id).values_list("employee_id", "date"))
    kept = [c for c in current if (c.employee_id, c.date) in locks]
    return kept, locks - {(c.employee_id, c.date) for c in kept}


def run_generation(generation_id: int, *, workers: int | None = None, tick: float = 1.0) -> Generation:
    claimed = _claim(generation_id)
    if claimed is None:
        return Generation.objects.get(pk=generation_id)
    generation, attempt = claimed
    try:
        return _run(generation, attempt, workers=workers, tick=tick)
    except Exception as error:
        _fail(generation.pk, attempt, f"{type(error).__name__}: {error}")
        raise


def _fail(generation_id: int, attempt: int, error: str) -> None:
    """An unexpected failure: the run and its job say so, rather than seem to run for ever."""
    with transaction.atomic():
        generation = Generation.objects.select_for_update().get(pk=generation_id)
        if generation.attempt != attempt or generation.state != Generation.State.RUNNING:
            return
        generation.state, generation.explanation = Generation.State.FAILED, [error[:500]]
        _save(generation, "failed")
        jobs.fail_job(generation.job_id, error=error)


def _run(generation: Generation, attempt: int, *, workers: int | None, tick: float) -> Generation:
    schedule = generation.schedule
    ctx = rules.load_context(schedule)
    current = roster_cells(schedule)
    keep, keep_off = keep_for(generation, current)
    weight = generation.fairness_weight
    previous, change_weight, hint = None, 0, current
    if generation.mode == Generation.Mode.REPAIR:
        absent = {(int(e), dt.date.fromisoformat(d)) for e, d in generation.absent}
        previous = hint = [c for c in current if (c.employee_id, c.date) not in absent]
        keep, keep_off, change_weight = [], absent, REPAIR_CHANGE_WEIGHT
    built = sched_model.build(ctx, keep=keep, keep_off=keep_off, fairness_weight=weight, previous=previous,
                              change_weight=change_weight, limit_weight=generation.limit_weight)
    trace: list[list] = []

    def on_tick(elapsed: float, best: int | None) -> None:
        if best is not None and (not trace or best < trace[-1][1]):
            trace.append([round(elapsed, 1), best])
        percent = int(100 * elapsed / max(1, generation.time_limit))
        best_text = _("best score %(score)s") % {"score": best} if best is not None else _("no roster yet")
        jobs.set_progress(generation.job_id, percent, f"{elapsed:.0f} s · {best_text}")
        Generation.objects.filter(pk=generation.pk, attempt=attempt).update(
            trace=trace[-200:], seconds=round(elapsed, 1), score=best
        )

    outcome = sched_solve.solve(
        built, time_limit=generation.time_limit, workers=workers or settings.SCHEDULER_WORKERS,
        seed=generation.seed, hint=hint, on_tick=on_tick, tick=tick,
        should_stop=lambda: jobs.cancel_requested(generation.job_id),
    )
    trace = _improvements(trace + [[round(t, 1), score] for t, score in outcome.history])
    return _finish(generation.pk, attempt, ctx, current, outcome, trace, keep,
                   previous=previous, change_weight=change_weight)


def _improvements(points: list[list]) -> list[list]:
    """[elapsed, score] points in time order, each better than the one before."""
    kept: list[list] = []
    for elapsed, score in sorted(points):
        if not kept or score < kept[-1][1]:
            kept.append([elapsed, score])
    return kept


def _finish(generation_id, attempt, ctx, current, outcome, trace, keep, *, previous=None,
            change_weight=0) -> Generation:
    with transaction.atomic():
        generation = Generation.objects.select_for_update().get(pk=generation_id)
        schedule = services._locked(generation.schedule)
        if generation.attempt != attempt or generation.state != Generation.State.RUNNING:
            return generation  # a later attempt owns this run
        generation.trace, generation.seconds = trace[-200:], outcome.seconds
        weight = generation.fairness_weight
        generation.score_before = sched_model.penalty(ctx, previous if previous is not None else current,
                                                      fairness_weight=weight, previous=previous,
                                                      change_weight=change_weight,
                                                      limit_weight=generation.limit_weight)
        if not outcome.found:
            if outcome.stopped:
                generation.state = Generation.State.CANCELLED
                _save(generation, "cancelled before any roster was found")
                jobs.acknowledge_cancel(generation.job_id)
                return generation
            if outcome.status == "infeasible":
                found = explain.explain_infeasible(ctx, keep, seconds=2.0, limit_weight=generation.limit_weight)
                generation.explanation = [item.message for item in found] or [
                    _("The rules and the kept cells cannot all be kept together.")]
            else:
                generation.explanation = [_("No roster within the rules was found in the time limit.")]
            generation.state = Generation.State.FAILED
            _save(generation, "no roster found")
            jobs.fail_job(generation.job_id, error="\n".join(generation.explanation))
            return generation
        if schedule.status != Schedule.Status.DRAFT:
            generation.state = Generation.State.FAILED
            generation.explanation = [_("The roster left draft while it was being generated.")]
            _save(generation, "roster no longer a draft")
            jobs.fail_job(generation.job_id, error=generation.explanation[0])
            return generation
        before, changed = _write(schedule, outcome.cells, reason=f"generated (run {generation.pk})")
        generation.before, generation.after = _cells_json(before), _cells_json(outcome.cells)
        generation.score, generation.best_bound = outcome.score, outcome.best_bound
        generation.hard_violations = len(sched_model.refused(rules.check_roster(ctx, outcome.cells),
                                                             limit_weight=generation.limit_weight))
        generation.state = Generation.State.PROPOSED
        _save(generation, "roster generated")
        summary = {"generation": generation.pk, "score": outcome.score, "changed": changed,
                   "hard_violations": generation.hard_violations}
        if outcome.stopped:
            jobs.finish_job(generation.job_id, result=summary,
                            message=_("Stopped on request; the best roster found is written."))
        else:
            jobs.finish_job(generation.job_id, result=summary, message=_("Roster generated."))
        return generation


@transaction.atomic
def set_fairness_weight(*, actor, department, weight: int, labour_limits_hard: bool | None = None,
                        labour_limit_weight: int | None = None) -> GeneratorSettings:
    """A unit's settings for the generator (its heads and managers): the fairness weight and, when
    given, whether soft labour limits are kept as hard and what each breach costs otherwise."""
    if not access.can_set_up_unit(actor, department):
        raise PermissionDenied
    found = GeneratorSettings.objects.select_for_update().filter(department=department).first()
    found = found or GeneratorSettings(department=department)
    found.fairness_weight = weight
    if labour_limits_hard is not None:
        found.labour_limits_hard = labour_limits_hard
    if labour_limit_weight is not None:
        found.labour_limit_weight = labour_limit_weight
    return _save(found, f"generator settings set by {actor.get_username()}")
