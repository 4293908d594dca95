"""Every change to equipment: the register, work orders and their lifecycle (the asset's status follows),
preventive maintenance generation, operating hours and usage sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import DurationField, F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from hospital_ops.bulk import insert_rows
from hospital_ops.history import save_checked
from hospital_ops.scoping import hospital_zone

from . import access
from .models import Asset, MaintenancePlan, OperatingHours, UsageSession, WorkOrder

ASSET_FIELDS = (
    "tag", "kind", "manufacturer", "model_name", "serial_number", "department", "room", "criticality",
    "acquired_on", "acquisition_cost", "expected_life_years", "status", "notes",
)
Status = WorkOrder.Status

# status → the statuses a work order may move to from it
TRANSITIONS = {
    Status.OPEN: {Status.ASSIGNED, Status.IN_PROGRESS},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.ON_HOLD, Status.COMPLETED},
    Status.ON_HOLD: {Status.IN_PROGRESS},
    Status.COMPLETED: {Status.VERIFIED},
    Status.VERIFIED: set(),
}


# The register --------------------------------------------------------------------------------------


@transaction.atomic
def save_asset(*, actor, data: dict[str, Any], instance: Asset | None = None) -> Asset:
    """Create or change an asset. The room must belong to the owning department's building map (any room
    the actor can see); status changes here are the register's own (retiring); repairs move it through
    work orders."""
    if instance is not None:
        instance = Asset.objects.select_for_update().get(pk=instance.pk)
        if not access.can_manage_assets(actor, instance.department):
            raise PermissionDenied
    asset = instance or Asset()
    for name in ASSET_FIELDS:
        if name in data:
            setattr(asset, name, data[name])
    if not getattr(asset, "department_id", None) or not access.can_manage_assets(actor, asset.department):
        raise PermissionDenied
    reason = "registered" if asset.pk is None else "updated"
    return save_checked(asset, reason)


PLAN_FIELDS = ("name", "kind", "asset", "tasks", "interval_days", "interval_hours", "starts_on", "is_active")


@transaction.atomic
def save_maintenance_plan(*, actor, data: dict[str, Any], instance: MaintenancePlan | None = None) -> MaintenancePlan:
    """Create or change a preventive maintenance plan (clinical engineering's). A plan for one asset needs an
    asset the actor can see; the model's checks reject a plan for both a kind and an asset, or two intervals."""
    if not access.can_manage_maintenance_plans(actor):
        raise PermissionDenied
    if instance is not None:
        instance = MaintenancePlan.objects.select_for_update().get(pk=instance.pk)
    plan = instance or MaintenancePlan()
    for name in PLAN_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    if plan.asset_id and not Asset.objects.visible_to(actor).filter(pk=plan.asset_id).exists():
        raise PermissionDenied
    reason = "planned" if plan.pk is None else "plan changed"
    return save_checked(plan, reason)


# Work orders ---------------------------------------------------------------------------------------


def _lock(work_order: WorkOrder) -> WorkOrder:
    return WorkOrder.objects.select_for_update().select_related("asset__department").get(pk=work_order.pk)


def _move(work_order: WorkOrder, to: str) -> None:
    if to not in TRANSITIONS[work_order.status]:
        raise ValidationError(
            _("A work order that is %(status)s cannot become %(to)s.")
            % {"status": work_order.get_status_display().lower(), "to": Status(to).label.lower()},
            code="conflict",
        )
    work_order.status = to


def _set_asset_status(asset: Asset, status: str, reason: str) -> None:
    asset = Asset.objects.select_for_update().get(pk=asset.pk)
    if asset.status in (status, Asset.Status.RETIRED):
        return
    asset.status = status
    save_checked(asset, reason)


@transaction.atomic
def report_fault(
    *, actor, asset: Asset, title: str, description: str = "", priority: str = WorkOrder.Priority.NORMAL,
    takes_out_of_service: bool = False,
) -> WorkOrder:
    """Anyone who can see an asset reports a fault on it. An unusable device goes out of service at once."""
    asset = Asset.objects.visible_to(actor).select_for_update().filter(pk=asset.pk).first()
    if asset is None:
        raise PermissionDenied
    return open_corrective_work_order(reported_by=actor, asset=asset, title=title, description=description,
                                      priority=priority, takes_out_of_service=takes_out_of_service)


def open_corrective_work_order(
    *, reported_by, asset: Asset, title: str, description: str = "", priority: str = WorkOrder.Priority.NORMAL,
    takes_out_of_service: bool = False,
) -> WorkOrder:
    """Open a repair once the caller has checked the reporter may (a fault report, an inspection finding)."""
    actor = reported_by
    if asset.status == Asset.Status.RETIRED:
        raise ValidationError(_("This asset is retired: it takes no more work orders."))
    now = timezone.now()
    work_order = WorkOrder(
        asset=asset, kind=WorkOrder.Kind.CORRECTIVE, title=title, description=description, priority=priority,
        takes_out_of_service=takes_out_of_service, reported_by=actor, created_at=now,
        downtime_start=now if takes_out_of_service else None,
    )
    save_checked(work_order, "reported")
    if takes_out_of_service:
        _set_asset_status(asset, Asset.Status.OUT_OF_SERVICE, f"out of service: WO-{work_order.pk}")
    return work_order


@transaction.atomic
def assign_work_order(*, actor, work_order: WorkOrder, assignee) -> WorkOrder:
    work_order = _lock(work_order)
    if not access.can_work_on_orders(actor):
        raise PermissionDenied
    if assignee is None or not access.can_work_on_orders(assignee):
        raise ValidationError({"assignee": _("Assign the work order to a maintenance technician.")})
    _move(work_order, Status.ASSIGNED)
    work_order.assigned_to, work_order.assigned_at = assignee, timezone.now()
    return save_checked(work_order, f"assigned to {assignee.username}")


@transaction.atomic
def start_work_order(*, actor, work_order: WorkOrder) -> WorkOrder:
    """Work begins: the asset is under maintenance, and its downtime starts if it has not already."""
    work_order = _lock(work_order)
    if not access.can_work_on_orders(actor):
        raise PermissionDenied
    resuming = work_order.status == Status.ON_HOLD
    _move(work_order, Status.IN_PROGRESS)
    now = timezone.now()
    work_order.started_at = work_order.started_at or now
    work_order.downtime_start = work_order.downtime_start or now
    if work_order.assigned_to_id is None:
        work_order.assigned_to, work_order.assigned_at = actor, now
    save_checked(work_order, "resumed" if resuming else "started")
    _set_asset_status(work_order.asset, Asset.Status.UNDER_MAINTENANCE, f"under maintenance: WO-{work_order.pk}")
    return work_order


@transaction.atomic
def hold_work_order(*, actor, work_order: WorkOrder, reason: str) -> WorkOrder:
    """Waiting for parts: the asset stays out of service until work resumes."""
    work_order = _lock(work_order)
    if not access.can_work_on_orders(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the work is waiting for.")})
    _move(work_order, Status.ON_HOLD)
    work_order.notes = (work_order.notes + "\n" if work_order.notes else "") + f"On hold: {reason.strip()}"
    save_checked(work_order, f"on hold: {reason}")
    _set_asset_status(work_order.asset, Asset.Status.OUT_OF_SERVICE, f"waiting: WO-{work_order.pk}")
    return work_order


@transaction.atomic
def complete_work_order(
    *, actor, work_order: WorkOrder, labour_hours: Decimal, parts_cost: Decimal = Decimal("0"), notes: str = "",
) -> WorkOrder:
    """The repair or service is done: downtime ends and the asset returns to service (unless another open
    work order still keeps it down)."""
    work_order = _lock(work_order)
    if not access.can_work_on_orders(actor):
        raise PermissionDenied
    _move(work_order, Status.COMPLETED)
    now = timezone.now()
    work_order.completed_by, work_order.completed_at = actor, now
    work_order.labour_hours, work_order.parts_cost = labour_hours, parts_cost
    if notes.strip():
        work_order.notes = (work_order.notes + "\n" if work_order.notes else "") + notes.strip()
    if work_order.downtime_start and not work_order.downtime_end:
        work_order.downtime_end = now
    save_checked(work_order, "completed")
    still_down = (
        WorkOrder.objects.filter(asset_id=work_order.asset_id, status__in=WorkOrder.OPEN_STATUSES)
        .exclude(pk=work_order.pk)
        .filter(Q(takes_out_of_service=True) | Q(status__in=(Status.IN_PROGRESS, Status.ON_HOLD)))
        .exists()
    )
    if not still_down:
        _set_asset_status(work_order.asset, Asset.Status.IN_SERVICE, f"back in service: WO-{work_order.pk}")
    return work_order


@transaction.atomic
def verify_work_order(*, actor, work_order: WorkOrder) -> WorkOrder:
    """The department accepts the work; whoever completed it cannot verify it."""
    work_order = _lock(work_order)
    _move(work_order, Status.VERIFIED)
    if work_order.completed_by_id == actor.pk:
        raise PermissionDenied(_("Someone other than whoever completed the work verifies it."))
    if not access.can_verify_work_order(actor, work_order):
        raise PermissionDenied
    work_order.verified_by, work_order.verified_at = actor, timezone.now()
    return save_checked(work_order, "verified")


# Preventive maintenance ------------------------------------------------------------------------------


def _usage_hours_since(asset_ids: Iterable[int], since: dict[int, dt.datetime]) -> dict[int, float]:
    """Hours each asset was used since its last preventive maintenance (one aggregate query)."""
    used: dict[int, float] = {}
    if not since:
        return used
    earliest = min(since.values())
    rows = (
        UsageSession.objects.filter(asset_id__in=list(asset_ids), starts_at__gte=earliest)
        .values_list("asset_id", "starts_at", "ends_at")
    )
    for asset_id, starts_at, ends_at in rows.iterator():
        if starts_at >= since.get(asset_id, earliest):
            used[asset_id] = used.get(asset_id, 0.0) + (ends_at - starts_at).total_seconds() / 3600
    return used


def maintenance_due(day: dt.date) -> list[WorkOrder]:
    """The preventive work orders that should exist by `day` and do not yet: for a calendar plan, its
    latest due date on or before `day` (so a missed day is caught up, and a date is never opened twice);
    for a usage plan, today, once its hours of use since the last service reach the interval."""
    plans = list(MaintenancePlan.objects.filter(is_active=True, starts_on__lte=day).select_related("asset"))
    kind_ids = {plan.kind_id for plan in plans if plan.kind_id}
    live = Asset.objects.exclude(status=Asset.Status.RETIRED)
    by_kind: dict[int, list[int]] = {}
    for asset_id, kind_id in live.filter(kind_id__in=kind_ids).values_list("pk", "kind_id").iterator():
        by_kind.setdefault(kind_id, []).append(asset_id)
    single_plans = [plan.pk for plan in plans if plan.asset_id]
    live_single = set(live.filter(maintenance_plans__in=single_plans).values_list("pk", flat=True))
    wanted: list[tuple[MaintenancePlan, int, dt.date]] = []
    usage_plans = []
    for plan in plans:
        if plan.kind_id:
            asset_ids = by_kind.get(plan.kind_id, [])
        else:
            asset_ids = [plan.asset_id] if plan.asset_id in live_single else []
        if plan.interval_days:
            due = plan.due_on_or_before(day)
            wanted += [(plan, asset_id, due) for asset_id in asset_ids]
        else:
            usage_plans.append((plan, asset_ids))
    existing = set(
        WorkOrder.objects.filter(plan_id__in=[plan.pk for plan in plans],
                                 due_on__in={due for _p, _a, due in wanted})
        .values_list("plan_id", "asset_id", "due_on")
    )
    missing = [(plan, asset_id, due) for plan, asset_id, due in wanted if (plan.pk, asset_id, due) not in existing]
    if usage_plans:
        missing += _usage_due(usage_plans, day)
    return [
        WorkOrder(
            asset_id=asset_id, plan=plan, kind=WorkOrder.Kind.PREVENTIVE, due_on=due,
            title=_("Preventive maintenance: %(plan)s") % {"plan": plan.name}, description=plan.tasks,
            priority=WorkOrder.Priority.NORMAL,
        )
        for plan, asset_id, due in missing
    ]


def _usage_due(usage_plans, day: dt.date) -> list[tuple[MaintenancePlan, int, dt.date]]:
    plan_ids = [plan.pk for plan, _ in usage_plans]
    open_keys = set(
        WorkOrder.objects.filter(plan_id__in=plan_ids)
        .filter(Q(status__in=WorkOrder.OPEN_STATUSES) | Q(due_on=day))
        .values_list("plan_id", "asset_id")
    )
    last_done: dict[tuple[int, int], dt.datetime] = {}
    for plan_id, asset_id, completed_at in (
        WorkOrder.objects.filter(plan_id__in=plan_ids, completed_at__isnull=False)
        .values_list("plan_id", "asset_id", "completed_at")
    ):
        key = (plan_id, asset_id)
        if key not in last_done or completed_at > last_done[key]:
            last_done[key] = completed_at
    zone = hospital_zone()
    due: list[tuple[MaintenancePlan, int, dt.date]] = []
    for plan, asset_ids in usage_plans:
        start = dt.datetime.combine(plan.starts_on, dt.time(), tzinfo=zone)
        since = {asset_id: last_done.get((plan.pk, asset_id), start) for asset_id in asset_ids
                 if (plan.pk, asset_id) not in open_keys}
        used = _usage_hours_since(since.keys(), since)
        due += [(plan, asset_id, day) for asset_id, hours in used.items()
                if hours >= plan.interval_hours]
    return due


def generate_preventive_work_orders(*, day: dt.date | None = None) -> int:
    """Open the preventive work orders due by `day` (today in the hospital's zone). Runs may repeat, miss
    days or overlap: the plans are locked while one run decides, and the database refuses a second work
    order for one plan, asset and due date."""
    day = day or timezone.localdate(timezone=hospital_zone())
    for attempt in range(2):
        try:
            with transaction.atomic():
                list(MaintenancePlan.objects.select_for_update().filter(is_active=True).order_by("pk")
                     .values_list("pk", flat=True))
                orders = maintenance_due(day)
                if orders:
                    bulk_create_with_history(orders, WorkOrder, batch_size=1000,
                                             default_change_reason="preventive maintenance due")
                return len(orders)
        except IntegrityError:
            if attempt:
                raise
    return 0


# Operating hours and usage -----------------------------------------------------------------------------


@transaction.atomic
def set_operating_hours(*, actor, asset: Asset, week: dict[int, tuple[dt.time, Decimal]]) -> list[OperatingHours]:
    """Replace an asset's weekly operating hours ({weekday: (opens, hours)}; a weekday left out is closed)."""
    asset = Asset.objects.select_for_update().select_related("department").get(pk=asset.pk)
    if not access.can_manage_assets(actor, asset.department):
        raise PermissionDenied
    rows = []
    for weekday, (opens, hours) in sorted(week.items()):
        row = OperatingHours(asset=asset, weekday=weekday, opens=opens, hours=hours)
        row.full_clean(exclude=["asset"], validate_unique=False, validate_constraints=False)
        rows.append(row)
    for old in asset.operating_hours.all():  # one by one, so each leaves a history row
        old._change_reason = "week replaced"
        old.delete()
    return bulk_create_with_history(rows, OperatingHours, default_change_reason="week set")


OPERATING_HOURS_FIELDS = ("asset", "weekday", "opens", "hours")


@transaction.atomic
def save_operating_hours(*, actor, data: dict[str, Any], instance: OperatingHours | None = None) -> OperatingHours:
    """Set one weekday's operating hours of a diagnostic asset the actor keeps (and, when the row moves to
    another asset, of that one too)."""
    if instance is not None:
        instance = OperatingHours.objects.select_for_update().select_related("asset__department").get(pk=instance.pk)
        if not access.can_manage_assets(actor, instance.asset.department):
            raise PermissionDenied
    row = instance or OperatingHours()
    for name in OPERATING_HOURS_FIELDS:
        if name in data:
            setattr(row, name, data[name])
    if not getattr(row, "asset_id", None) or not access.can_manage_assets(actor, row.asset.department):
        raise PermissionDenied
    if not row.asset.kind.modality:
        raise ValidationError({"asset": _("Only diagnostic equipment has operating hours.")})
    try:
        with transaction.atomic():
            return save_checked(row, "hours set" if row.pk is None else "hours changed")
    except IntegrityError as error:
        raise ValidationError(_("This asset already has hours for this weekday.")) from error


@transaction.atomic
def remove_operating_hours(*, actor, instance: OperatingHours) -> None:
    """Close a weekday: the asset is not available that day."""
    row = OperatingHours.objects.select_for_update().select_related("asset__department").get(pk=instance.pk)
    if not access.can_manage_assets(actor, row.asset.department):
        raise PermissionDenied
    row._change_reason = "closed"
    row.delete()


SESSION_MAX_HOURS = 24
USAGE_CHUNK = 5_000  # rows checked and inserted at a time: a year of a hospital's exams is about 350,000
MAX_REASONS = 20  # reasons listed when an import is refused


def _session_name(n: int, row: dict[str, Any]) -> str:
    return _("row %(n)s (%(id)s)") % {"n": n, "id": row["sender_id"]}


def record_usage_sessions(*, actor, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Store usage sessions as senders report them ({"sender_id", "asset", "starts_at", "ends_at",
    "exam_type"}). A sender id seen before is skipped (a resend changes nothing); a session overlapping
    another of the same asset (in the batch or already recorded), or of an asset the actor may not record
    for, is refused with its reason and nothing of the batch is saved.

    Any size goes through in chunks of USAGE_CHUNK: the known sender ids are looked up a chunk at a time,
    each chunk is checked against the recorded sessions in two queries (a few more on SQLite, which caps a
    query's parameters) and inserted with COPY (no row-by-row
    saves), all in one transaction with the batch's assets locked, so a refusal leaves nothing behind."""
    errors: list[str] = []
    allowed: dict[int, bool] = {}
    for n, row in enumerate(rows, start=1):
        if row["ends_at"] <= row["starts_at"]:
            errors.append(_("Row %(n)s: a session ends after it starts.") % {"n": n})
        elif row["ends_at"] - row["starts_at"] > dt.timedelta(hours=SESSION_MAX_HOURS):
            errors.append(_("Row %(n)s: a session lasts at most %(h)s hours.") % {"n": n, "h": SESSION_MAX_HOURS})
        department = row["asset"].department
        if department.pk not in allowed:
            allowed[department.pk] = access.can_record_usage(actor, department)
        if not allowed[department.pk]:
            raise PermissionDenied
    if errors:
        raise ValidationError(_with_more(errors))
    numbered = list(enumerate(rows, start=1))
    with transaction.atomic():
        asset_ids = sorted({row["asset"].pk for row in rows})
        list(Asset.objects.select_for_update().filter(pk__in=asset_ids).order_by("pk").values_list("pk", flat=True))
        known: set[str] = set()
        for at in range(0, len(numbered), _rows_per_query(1)):
            ids = list({row["sender_id"] for _n, row in numbered[at:at + _rows_per_query(1)]})
            known.update(UsageSession.objects.filter(sender_id__in=ids).values_list("sender_id", flat=True))
        fresh, seen = [], set()
        for n, row in numbered:
            if row["sender_id"] in known or row["sender_id"] in seen:
                continue
            seen.add(row["sender_id"])
            fresh.append((n, row))
        _refuse_overlaps_within(fresh)
        longest = dict(UsageSession.objects.filter(asset_id__in=asset_ids).values("asset_id")
                       .annotate(longest=Max(F("ends_at") - F("starts_at"), output_field=DurationField()))
                       .values_list("asset_id", "longest").order_by())
        problems: list[str] = []
        for at in range(0, len(fresh), USAGE_CHUNK):
            chunk = fresh[at:at + USAGE_CHUNK]
            problems += _overlaps_recorded(chunk, longest)
            if len(problems) >= MAX_REASONS:
                break
            if not problems:
                _insert_sessions(chunk)
        if problems:
            raise ValidationError(_with_more(problems))
    return {"created": len(fresh), "skipped": len(rows) - len(fresh)}


def _rows_per_query(params_per_row: int) -> int:
    """Rows of a chunk one query may carry: all of them, unless the database caps a query's parameters
    (Django assumes SQLite's historical 999)."""
    cap = connection.features.max_query_params
    return USAGE_CHUNK if cap is None else max(1, min(USAGE_CHUNK, cap // params_per_row))


def _with_more(reasons: list[str]) -> list[str]:
    if len(reasons) <= MAX_REASONS:
        return reasons
    return [*reasons[:MAX_REASONS], _("… and more: correct these first.")]


def _refuse_overlaps_within(rows: list[tuple[int, dict[str, Any]]]) -> None:
    """Two sessions of the batch on one asset at once."""
    by_asset: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    for item in rows:
        by_asset.setdefault(item[1]["asset"].pk, []).append(item)
    problems = []
    for items in by_asset.values():
        items.sort(key=lambda item: item[1]["starts_at"])
        latest = items[0]
        for item in items[1:]:
            if item[1]["starts_at"] < latest[1]["ends_at"]:
                problems.append(_("Sessions %(a)s and %(b)s overlap on asset %(tag)s.") % {
                    "a": _session_name(*latest), "b": _session_name(*item), "tag": item[1]["asset"].tag})
            if item[1]["ends_at"] > latest[1]["ends_at"]:
                latest = item
        if len(problems) >= MAX_REASONS:
            break
    if problems:
        raise ValidationError(_with_more(problems))


def _overlaps_recorded(chunk: list[tuple[int, dict[str, Any]]], longest: dict[int, dt.timedelta]) -> list[str]:
    """Reasons for the chunk's sessions that overlap a recorded one. Only a recorded session
    that began at most its asset's longest session before can reach a new one, so the asset and start index
    answers each row with a short range scan, on PostgreSQL and SQLite alike."""
    chunk = _near_recorded(chunk, longest)
    adapt = (lambda value: value) if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value
    found: list[tuple] = []
    step = _rows_per_query(5)
    for at in range(0, len(chunk), step):
        values, params = [], []
        for n, row in chunk[at:at + step]:
            values.append("(%s, %s, %s, %s, %s)")
            reach = longest.get(row["asset"].pk) or dt.timedelta(0)
            params += [n, row["asset"].pk, adapt(row["starts_at"] - reach), adapt(row["starts_at"]),
                       adapt(row["ends_at"])]
        match = ("u.asset_id = i.asset_id AND u.starts_at >= i.reach AND u.starts_at < i.ends_at "
                 "AND u.ends_at > i.starts_at")
        if connection.vendor == "postgresql":  # walk the index once per incoming row, never hash an asset's year
            # (the LIMIT keeps the planner from flattening the subquery into a hash join)
            recorded = (f"CROSS JOIN LATERAL (SELECT * FROM facilities_usagesession u WHERE {match} "
                        f"LIMIT {MAX_REASONS}) u")
        else:  # SQLite plans the plain join that way by itself
            recorded = f"JOIN facilities_usagesession u ON {match}"
        sql = f"""
            WITH incoming(n, asset_id, reach, starts_at, ends_at) AS (VALUES {", ".join(values)})
            SELECT i.n, u.sender_id, u.starts_at, u.ends_at
            FROM incoming i {recorded}
            ORDER BY i.n, u.starts_at
            LIMIT {MAX_REASONS}"""
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found += cursor.fetchall()
        if len(found) >= MAX_REASONS:
            break
    rows = dict(chunk)
    zone = hospital_zone()
    problems = []
    for n, sender_id, starts_at, ends_at in found:
        starts_at = _as_moment(starts_at).astimezone(zone)
        ends_at = _as_moment(ends_at).astimezone(zone)
        problems.append(_("Session %(a)s overlaps session %(b)s already recorded (%(from)s to %(to)s).") % {
            "a": _session_name(n, rows[n]), "b": sender_id,
            "from": f"{starts_at:%Y-%m-%d %H:%M}", "to": f"{ends_at:%H:%M}"})
    return problems


def _near_recorded(chunk: list[tuple[int, dict[str, Any]]], longest: dict[int, dt.timedelta]):
    """The chunk's rows whose asset has recorded sessions within the chunk's span for it (one query): new
    sessions after the last recorded ones, the usual import, need no row-by-row check."""
    spans: dict[int, list[dt.datetime]] = {}
    for _n, row in chunk:
        asset_id = row["asset"].pk
        if asset_id not in longest:  # nothing recorded for this asset
            continue
        lo, hi = row["starts_at"] - longest[asset_id], row["ends_at"]
        span = spans.setdefault(asset_id, [lo, hi])
        span[0], span[1] = min(span[0], lo), max(span[1], hi)
    if not spans:
        return []
    if len(spans) > _rows_per_query(3):
        return chunk
    near = Q()
    for asset_id, (lo, hi) in spans.items():
        near |= Q(asset_id=asset_id, starts_at__gte=lo, starts_at__lt=hi)
    busy = set(UsageSession.objects.filter(near).values_list("asset_id", flat=True).distinct().order_by())
    return [(n, row) for n, row in chunk if row["asset"].pk in busy]


def _as_moment(value) -> dt.datetime:
    """A timestamp read with a raw query (SQLite gives text in UTC)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _insert_sessions(chunk: list[tuple[int, dict[str, Any]]]) -> None:
    rows = ((row["asset"].pk, row["sender_id"], row["starts_at"], row["ends_at"], row.get("exam_type", "") or "")
            for _n, row in chunk)
    try:
        with transaction.atomic():
            insert_rows(UsageSession, ["asset_id", "sender_id", "starts_at", "ends_at", "exam_type"], rows)
    except IntegrityError as error:  # written by something that does not take the asset lock
        raise ValidationError(_("Another session of these assets was recorded meanwhile, or a sender id "
                                "was reused; nothing was saved. Send the batch again.")) from error
