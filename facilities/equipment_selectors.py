"""Reads about equipment: the register, work orders, preventive maintenance compliance, repair times and
downtime, and utilisation of diagnostic equipment. Measures are SQL aggregates grouped by asset, kind or
day; Python only combines the grouped rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from hospital_ops.scoping import hospital_zone, within

from .models import Asset, Criticality, EquipmentKind, MaintenancePlan, OperatingHours, UsageSession, WorkOrder

PM_GRACE_DAYS = 7  # preventive maintenance done within a week of its due date is on time


def utilisation_thresholds() -> tuple[float, float]:
    """Below the first: a candidate for redeployment; above the second: for more capacity (per cent)."""
    return (float(getattr(settings, "EQUIPMENT_UTILISATION_LOW", 40)),
            float(getattr(settings, "EQUIPMENT_UTILISATION_HIGH", 85)))


def scoped(manager, user):
    """What `user` may see; everything when `user` is None (reports, which scope by department themselves)."""
    return manager.all() if user is None else manager.visible_to(user)


def today() -> dt.date:
    return timezone.localdate(timezone=hospital_zone())


# The register ------------------------------------------------------------------------------------------


def asset_list(user) -> QuerySet[Asset]:
    return (
        scoped(Asset.objects, user)
        .select_related("kind", "department", "room__floor__building")
        .annotate(open_orders=open_work_orders())
        .order_by("tag")
    )


def open_work_orders():
    """An asset's open work orders, counted for each row a page shows (not grouped over the whole register,
    so a page of fifty assets counts for fifty)."""
    orders = (
        WorkOrder.objects.filter(asset=OuterRef("pk"), status__in=WorkOrder.OPEN_STATUSES)
        .order_by().values("asset").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(orders, output_field=IntegerField()), 0)


def asset_detail(user) -> QuerySet[Asset]:
    return Asset.objects.visible_to(user).select_related("kind", "department", "room__floor__building")


def asset_history(asset: Asset, limit: int = 50):
    return asset.history.select_related("history_user").order_by("-history_date")[:limit]


def kind_list() -> QuerySet[EquipmentKind]:
    return EquipmentKind.objects.order_by("name")


def life_support_down(user, department=None) -> QuerySet[Asset]:
    """Life-support devices out of service or under maintenance: flagged on their department's dashboard."""
    return (
        asset_list(user)
        .filter(criticality=Criticality.LIFE_SUPPORT,
                status__in=(Asset.Status.OUT_OF_SERVICE, Asset.Status.UNDER_MAINTENANCE))
        .filter(within(department))
    )


# Work orders -----------------------------------------------------------------------------------------------


def work_order_list(user) -> QuerySet[WorkOrder]:
    return (
        WorkOrder.objects.visible_to(user)
        .select_related("asset__kind", "asset__department", "assigned_to", "reported_by", "plan")
        .order_by("-created_at", "-pk")
    )


# Ages of open work orders in the backlog: (oldest age in days of the band, or None for older, label).
BACKLOG_AGES = ((7, "Up to 7 days"), (30, "8 to 30 days"), (90, "31 to 90 days"), (None, "Over 90 days"))


def work_order_backlog(user, *, on: dt.date, department=None) -> list[dict]:
    """Work orders open at the end of `on` (reported by then and not completed by then), by priority, each
    counted in its age band (days since reported); one query."""
    zone = hospital_zone()
    cutoff = dt.datetime.combine(on + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    bands, newer = [], cutoff
    for days, label in BACKLOG_AGES:
        older = None if days is None else dt.datetime.combine(on - dt.timedelta(days=days), dt.time(), tzinfo=zone)
        bands.append((label, Q(created_at__lt=newer) & (Q(created_at__gte=older) if older else Q())))
        newer = older
    counts = {
        f"{priority}_{n}": Count("pk", filter=Q(priority=priority) & band)
        for priority in WorkOrder.Priority.values for n, (_label, band) in enumerate(bands)
    }
    totals = (
        scoped(WorkOrder.objects, user)
        .filter(created_at__lt=cutoff)
        .filter(Q(completed_at__isnull=True) | Q(completed_at__gte=cutoff))
        .filter(within(department, "asset__department"))
        .aggregate(**counts)
    )
    return [
        {"priority": priority, "label": label,
         "ages": [totals[f"{priority}_{n}"] for n in range(len(bands))],
         "total": sum(totals[f"{priority}_{n}"] for n in range(len(bands)))}
        for priority, label in WorkOrder.Priority.choices
    ]


def maintenance_plan_list(user) -> QuerySet[MaintenancePlan]:
    return MaintenancePlan.objects.visible_to(user).select_related("kind", "asset").order_by("name")


def operating_hours_list(user) -> QuerySet[OperatingHours]:
    return (OperatingHours.objects.visible_to(user).select_related("asset__department")
            .order_by("asset__tag", "weekday"))


def plans_for(user, asset: Asset) -> QuerySet[MaintenancePlan]:
    """The plans that service an asset: its own and its kind's."""
    return maintenance_plan_list(user).filter(Q(asset=asset) | Q(kind_id=asset.kind_id, asset__isnull=True))


def overdue_maintenance(user, *, on: dt.date | None = None):
    """Open preventive work orders past their due date, counted per department."""
    on = on or today()
    return (
        WorkOrder.objects.visible_to(user)
        .filter(kind=WorkOrder.Kind.PREVENTIVE, status__in=WorkOrder.OPEN_STATUSES, due_on__lt=on)
        .values("asset__department_id", "asset__department__code", "asset__department__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "asset__department__code")
    )


def pm_compliance(user, *, start: dt.date, end: dt.date, department=None) -> dict:
    """Preventive work orders due in [start, end]: how many, how many done on time (completed within
    PM_GRACE_DAYS of the due date), and the percentage."""
    on_time_by = ExpressionWrapper(F("due_on") + dt.timedelta(days=PM_GRACE_DAYS), output_field=DateField())
    totals = (
        scoped(WorkOrder.objects, user)
        .filter(kind=WorkOrder.Kind.PREVENTIVE, due_on__gte=start, due_on__lte=end)
        .filter(within(department, "asset__department"))
        .annotate(done_on=TruncDate("completed_at", tzinfo=hospital_zone()))
        .aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=on_time_by)))
    )
    due, on_time = totals["due"], totals["on_time"]
    return {"due": due, "on_time": on_time, "pct": round(100 * on_time / due, 1) if due else None}


def _hours(value: dt.timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


def repair_times(user, *, by: str = "kind", start: dt.date | None = None, end: dt.date | None = None,
                 department=None, asset: Asset | None = None) -> list[dict]:
    """Mean time to repair (reported → completed, corrective work) and total downtime, per asset or kind,
    for work completed in [start, end]."""
    key = {"kind": ("asset__kind_id", "asset__kind__name"), "asset": ("asset_id", "asset__tag")}[by]
    zone = hospital_zone()
    done = scoped(WorkOrder.objects, user).filter(completed_at__isnull=False)
    if start:
        done = done.filter(completed_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=zone))
    if end:
        done = done.filter(completed_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone))
    done = done.filter(within(department, "asset__department"))
    if asset is not None:
        done = done.filter(asset=asset)
    repair = ExpressionWrapper(F("completed_at") - F("created_at"), output_field=DurationField())
    down = ExpressionWrapper(F("downtime_end") - F("downtime_start"), output_field=DurationField())
    rows = (
        done.values(*key)
        .annotate(
            repairs=Count("pk", filter=Q(kind=WorkOrder.Kind.CORRECTIVE)),
            repair_time=Sum(repair, filter=Q(kind=WorkOrder.Kind.CORRECTIVE)),
            downtime=Sum(down, filter=Q(downtime_end__isnull=False)),
            orders=Count("pk"),
        )
        .order_by(key[1])
    )
    return [
        {
            "id": row[key[0]], "name": row[key[1]], "orders": row["orders"], "repairs": row["repairs"],
            "mttr_hours": round(_hours(row["repair_time"]) / row["repairs"], 1) if row["repairs"] else None,
            "downtime_hours": _hours(row["downtime"]),
        }
        for row in rows
    ]


# Utilisation --------------------------------------------------------------------------------------------


@dataclass
class Usage:
    """Used and available hours of one group (asset, modality or department) in one period."""

    used: float = 0.0
    available: float = 0.0

    @property
    def pct(self) -> float | None:
        return round(100 * self.used / self.available, 1) if self.available else None


@dataclass
class UtilisationRow:
    key: object
    label: str
    total: Usage = field(default_factory=Usage)
    buckets: dict = field(default_factory=dict)  # bucket start date → Usage
    flag: str = ""  # "under", "over" or ""


def bucket_of(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _overlap(a_start, a_end, b_start, b_end) -> float:
    """Hours two spans share, in absolute time (a day when the clocks change is 23 or 25 hours)."""
    start, end = max(a_start, b_start).astimezone(dt.UTC), min(a_end, b_end).astimezone(dt.UTC)
    return max(0.0, (end - start).total_seconds() / 3600)


def _day_start(day: dt.date, zone) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def used_hours(asset_ids, start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], float]:
    """{(asset, day): hours used} over [start, end]: sessions within one day summed in SQL by day; the few
    that cross midnight are split between the days they touch."""
    zone = hospital_zone()
    lower, upper = _day_start(start, zone), _day_start(end + dt.timedelta(days=1), zone)
    sessions = UsageSession.objects.order_by().filter(asset_id__in=asset_ids, starts_at__lt=upper,
                                                      ends_at__gt=lower).annotate(
        start_day=TruncDate("starts_at", tzinfo=zone), end_day=TruncDate("ends_at", tzinfo=zone)
    )
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    used: dict[tuple[int, dt.date], float] = defaultdict(float)
    same_day = (
        sessions.filter(start_day=F("end_day"))
        .values("asset_id", "start_day").annotate(total=Sum(duration)).values_list("asset_id", "start_day", "total")
    )
    for asset_id, day, total in same_day:
        used[(asset_id, day)] += total.total_seconds() / 3600
    for asset_id, starts_at, ends_at in sessions.exclude(start_day=F("end_day")).values_list(
        "asset_id", "starts_at", "ends_at"
    ):
        day = max(starts_at.astimezone(zone).date(), start)
        while day <= end and _day_start(day, zone) < ends_at:
            hours = _overlap(starts_at, ends_at, _day_start(day, zone), _day_start(day + dt.timedelta(days=1), zone))
            if hours:
                used[(asset_id, day)] += hours
            day += dt.timedelta(days=1)
    return used


def available_hours(assets: list[Asset], start: dt.date, end: dt.date) -> dict[tuple[int, dt.date], float]:
    """{(asset, day): hours the asset was scheduled to run and not down} over [start, end]: its operating
    window of the weekday (which may run past midnight) minus any downtime inside that window."""
    zone = hospital_zone()
    ids = [asset.pk for asset in assets]
    windows: dict[int, dict[int, tuple[dt.time, float]]] = defaultdict(dict)
    for asset_id, weekday, opens, hours in OperatingHours.objects.filter(asset_id__in=ids).values_list(
        "asset_id", "weekday", "opens", "hours"
    ):
        windows[asset_id][weekday] = (opens, float(hours))
    lower, upper = _day_start(start, zone), _day_start(end + dt.timedelta(days=2), zone)
    downtime: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    now = timezone.now()
    for asset_id, down_from, down_to in (
        WorkOrder.objects.filter(asset_id__in=ids, downtime_start__isnull=False, downtime_start__lt=upper)
        .filter(Q(downtime_end__isnull=True) | Q(downtime_end__gt=lower - dt.timedelta(days=1)))
        .values_list("asset_id", "downtime_start", "downtime_end")
    ):
        downtime[asset_id].append((down_from, down_to or now))
    available: dict[tuple[int, dt.date], float] = {}
    for asset_id in ids:
        week = windows.get(asset_id)
        if not week:
            continue
        day = start
        while day <= end:
            if day.weekday() in week:
                opens, hours = week[day.weekday()]
                if hours:
                    window_start = dt.datetime.combine(day, opens, tzinfo=zone)
                    window_end = window_start + dt.timedelta(hours=hours)
                    lost = sum(_overlap(window_start, window_end, a, b) for a, b in downtime.get(asset_id, ()))
                    available[(asset_id, day)] = max(0.0, hours - lost)
            day += dt.timedelta(days=1)
    return available


def diagnostic_assets(user, *, department=None, modality: str = "") -> QuerySet[Asset]:
    assets = asset_list(user).exclude(kind__modality="").exclude(status=Asset.Status.RETIRED)
    if modality:
        assets = assets.filter(kind__modality=modality)
    return assets.filter(within(department))


def utilisation(
    user, *, start: dt.date, end: dt.date, by: str = "asset", grain: str = "day", department=None,
    modality: str = "",
) -> list[UtilisationRow]:
    """Utilisation % (hours used / hours available) of diagnostic equipment per asset, modality or
    department, with a bucket per day, week or month, and the flag of a row under or over the thresholds."""
    assets = list(diagnostic_assets(user, department=department, modality=modality))
    used = used_hours([asset.pk for asset in assets], start, end)
    available = available_hours(assets, start, end)
    rows: dict[object, UtilisationRow] = {}
    modalities = dict(EquipmentKind.Modality.choices)
    for asset in assets:
        if by == "modality":
            key, label = asset.kind.modality, modalities.get(asset.kind.modality, asset.kind.modality)
        elif by == "department":
            key, label = asset.department_id, asset.department.name
        else:
            key, label = asset.pk, f"{asset.tag} · {asset.kind.name}"
        rows.setdefault(key, UtilisationRow(key=key, label=label))
    index = {asset.pk: asset for asset in assets}
    for (asset_id, day), hours in available.items():
        _add(rows, index[asset_id], day, grain, by, available=hours)
    for (asset_id, day), hours in used.items():
        if start <= day <= end:
            _add(rows, index[asset_id], day, grain, by, used=hours)
    low, high = utilisation_thresholds()
    for row in rows.values():
        pct = row.total.pct
        row.flag = "" if pct is None else "under" if pct < low else "over" if pct > high else ""
    return sorted(rows.values(), key=lambda row: str(row.label))


def _add(rows, asset: Asset, day, grain, by, *, used: float = 0.0, available: float = 0.0) -> None:
    key = {"modality": asset.kind.modality, "department": asset.department_id}.get(by, asset.pk)
    row = rows[key]
    bucket = row.buckets.setdefault(bucket_of(day, grain), Usage())
    bucket.used += used
    bucket.available += available
    row.total.used += used
    row.total.available += available
