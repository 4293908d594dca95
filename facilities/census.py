"""Census and utilisation, computed in SQL, by unit and day, for any period.

Definitions (the hospital's own time zone decides where a day starts, so a day across a daylight-saving
change has 23 or 25 hours):
- midnight census of day D: patients in a bed of the unit at the midnight that ends D (present at an
  instant means admitted at or before it and not yet gone: [start, end));
- patient days: the midnight census, plus one for each stay admitted and discharged the same day;
- admissions / discharges: stays that began / ended in a bed of the unit that day; transfers in / out:
  moves between beds that began / ended there (a move within one unit counts both ways);
- beds: the unit's staffed and licensed beds in force on each day (models.BedCount: the latest count on or
  before the day; a unit without recorded counts is counted with the beds it has now);
- average length of stay: patient days ÷ discharges; bed turnover: discharges ÷ average staffed beds;
- occupancy: patient days ÷ bed-days (the beds of each day, added up), against staffed and against licensed;
- blocked bed-days: time beds spent blocked or out of service (from their status history);
- cleaning turnaround: discharge (task opened) → bed available (task finished), mean minutes;
- boarding hours: waiting for a bed (pre-admission) → admitted.

PostgreSQL walks each stay's nights with generate_series; SQLite, which has neither time zones nor
generate_series, joins the stays to a table of the period's day boundaries computed beforehand. Both give
the same figures (the fixtures in tests/facilities/test_beds_census.py hold on both).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from hospital_ops.scoping import hospital_zone

from .models import Bed

MAX_DAYS = 3 * 366 + 1  # the longest period asked in one go


@dataclass
class DayRow:
    day: dt.date
    unit_id: int
    census: int = 0
    admissions: int = 0
    discharges: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    same_day: int = 0
    staffed_beds: int = 0
    licensed_beds: int = 0

    @property
    def patient_days(self) -> int:
        return self.census + self.same_day


@dataclass
class Utilisation:
    """A unit's (or the hospital's) measures over a period. `staffed_beds` and `licensed_beds` are the counts
    on the period's last day; rates divide by bed-days, each day with the beds it had."""

    unit_id: int | None
    days: int
    staffed_beds: int = 0
    licensed_beds: int = 0
    staffed_bed_days: int = 0
    licensed_bed_days: int = 0
    patient_days: int = 0
    admissions: int = 0
    discharges: int = 0
    transfers_in: int = 0
    transfers_out: int = 0
    blocked_bed_days: Decimal = Decimal("0")
    cleaning_minutes: Decimal | None = None
    cleanings: int = 0
    boarding_hours: Decimal = Decimal("0")
    boarded: int = 0
    daily: list[DayRow] = field(default_factory=list)

    @staticmethod
    def _ratio(numerator, denominator, places="0.1") -> Decimal | None:
        if not denominator:
            return None
        return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_UP)

    @property
    def occupancy_staffed(self) -> Decimal | None:
        return self._ratio(self.patient_days * 100, self.staffed_bed_days)

    @property
    def occupancy_licensed(self) -> Decimal | None:
        return self._ratio(self.patient_days * 100, self.licensed_bed_days)

    @property
    def average_length_of_stay(self) -> Decimal | None:
        return self._ratio(self.patient_days, self.discharges, "0.01")

    @property
    def turnover(self) -> Decimal | None:
        """Discharges per staffed bed (the period's average)."""
        return self._ratio(self.discharges * self.days, self.staffed_bed_days, "0.01")

    @property
    def average_census(self) -> Decimal | None:
        return self._ratio(sum(row.census for row in self.daily), self.days)


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=hospital_zone())


def _param(moment: dt.datetime):
    """A timestamp as the database compares it with stored ones."""
    if connection.vendor == "postgresql":
        return moment
    return connection.ops.adapt_datetimefield_value(moment)


def _days_cte(start: dt.date, end: dt.date) -> tuple[str, list]:
    """`days(day, starts, ends)`: each day of [start, end] with its local midnights as instants."""
    if connection.vendor == "postgresql":
        sql = (
            "days AS (SELECT d::date AS day, (d::timestamp AT TIME ZONE %s) AS starts, "
            "((d + interval '1 day')::timestamp AT TIME ZONE %s) AS ends "
            "FROM generate_series(%s::date, %s::date, interval '1 day') AS d)"
        )
        zone = str(hospital_zone())
        return sql, [zone, zone, start, end]
    rows, params = [], []
    day = start
    while day <= end:
        rows.append("(%s, %s, %s)")
        params += [day.isoformat(), _param(_midnight(day)), _param(_midnight(day + dt.timedelta(days=1)))]
        day += dt.timedelta(days=1)
    return f"days(day, starts, ends) AS (VALUES {', '.join(rows)})", params


def _unit_filter(unit_ids, column: str) -> tuple[str, list]:
    if unit_ids is None:
        return "", []
    ids = [int(pk) for pk in unit_ids] or [0]
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _census(start: dt.date, end: dt.date, unit_ids) -> list[tuple]:
    where, ids = _unit_filter(unit_ids, "o.unit_id")
    if connection.vendor == "postgresql":
        zone = str(hospital_zone())
        sql = f"""
            SELECT night::date AS day, o.unit_id, COUNT(*)
            FROM facilities_bedoccupancy o
            CROSS JOIN LATERAL generate_series(
                GREATEST(((o.starts_at - interval '1 microsecond') AT TIME ZONE %s)::date, %s::date),
                LEAST(COALESCE(((o.ends_at - interval '1 microsecond') AT TIME ZONE %s)::date - 1, %s::date), %s::date),
                interval '1 day') AS night
            WHERE o.starts_at <= %s AND (o.ends_at IS NULL OR o.ends_at > %s){where}
            GROUP BY 1, 2"""
        params = [zone, start, zone, end, end, _midnight(end + dt.timedelta(days=1)), _midnight(start), *ids]
    else:
        days, params = _days_cte(start, end)
        sql = f"""
            WITH {days}
            SELECT d.day, o.unit_id, COUNT(*)
            FROM days d JOIN facilities_bedoccupancy o
              ON o.starts_at <= d.ends AND (o.ends_at IS NULL OR o.ends_at > d.ends)
            WHERE 1 = 1{where}
            GROUP BY d.day, o.unit_id"""
        params += ids
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _movements_postgresql(start: dt.date, end: dt.date, unit_ids) -> tuple[list[tuple], list[tuple]]:
    """Admissions and transfers in by the local day they began, discharges and transfers out by the day they
    ended: one pass over the period's bed occupancies each."""
    where, ids = _unit_filter(unit_ids, "o.unit_id")
    zone = str(hospital_zone())
    bounds = [_midnight(start), _midnight(end + dt.timedelta(days=1))]
    starts = f"""
        SELECT 1, (o.starts_at AT TIME ZONE %s)::date, o.unit_id,
               SUM(CASE WHEN o.starts_at = s.admitted_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.starts_at > s.admitted_at THEN 1 ELSE 0 END),
               0
        FROM facilities_bedoccupancy o JOIN facilities_patientstay s ON s.id = o.stay_id
        WHERE o.starts_at >= %s AND o.starts_at < %s{where}
        GROUP BY 2, 3"""
    ends = f"""
        SELECT 2, (o.ends_at AT TIME ZONE %s)::date, o.unit_id,
               SUM(CASE WHEN s.status = 'discharged' AND o.ends_at = s.discharged_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.discharged_at IS NULL OR o.ends_at < s.discharged_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.status = 'discharged' AND o.ends_at = s.discharged_at
                         AND (s.admitted_at AT TIME ZONE %s)::date = (o.ends_at AT TIME ZONE %s)::date
                        THEN 1 ELSE 0 END)
        FROM facilities_bedoccupancy o JOIN facilities_patientstay s ON s.id = o.stay_id
        WHERE o.ends_at >= %s AND o.ends_at < %s{where}
        GROUP BY 2, 3"""
    with connection.cursor() as cursor:  # both passes in one statement, told apart by their first column
        cursor.execute(f"{starts} UNION ALL {ends}", [zone, *bounds, *ids, zone, zone, zone, *bounds, *ids])
        rows = cursor.fetchall()
    return [row[1:5] for row in rows if row[0] == 1], [row[1:] for row in rows if row[0] == 2]


def _movements(start: dt.date, end: dt.date, unit_ids) -> tuple[list[tuple], list[tuple]]:
    if connection.vendor == "postgresql":
        return _movements_postgresql(start, end, unit_ids)
    days, params = _days_cte(start, end)
    where, ids = _unit_filter(unit_ids, "o.unit_id")
    starts = f"""
        SELECT 1, d.day, o.unit_id,
               SUM(CASE WHEN o.starts_at = s.admitted_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN o.starts_at > s.admitted_at THEN 1 ELSE 0 END),
               0
        FROM days d
        JOIN facilities_bedoccupancy o ON o.starts_at >= d.starts AND o.starts_at < d.ends
        JOIN facilities_patientstay s ON s.id = o.stay_id
        WHERE 1 = 1{where}
        GROUP BY d.day, o.unit_id"""
    ends = f"""
        SELECT 2, d.day, o.unit_id,
               SUM(CASE WHEN s.status = 'discharged' AND o.ends_at = s.discharged_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.discharged_at IS NULL OR o.ends_at < s.discharged_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN s.status = 'discharged' AND o.ends_at = s.discharged_at
                         AND s.admitted_at >= d.starts THEN 1 ELSE 0 END)
        FROM days d
        JOIN facilities_bedoccupancy o ON o.ends_at >= d.starts AND o.ends_at < d.ends
        JOIN facilities_patientstay s ON s.id = o.stay_id
        WHERE 1 = 1{where}
        GROUP BY d.day, o.unit_id"""
    with connection.cursor() as cursor:  # both passes in one statement, told apart by their first column
        cursor.execute(f"WITH {days} {starts} UNION ALL {ends}", params + ids + ids)
        rows = cursor.fetchall()
    return [row[1:5] for row in rows if row[0] == 1], [row[1:] for row in rows if row[0] == 2]


def _seconds(later: str, earlier: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


def _clip(a: str, b: str, bigger: bool) -> str:
    if connection.vendor == "postgresql":
        return f"{'GREATEST' if bigger else 'LEAST'}({a}, {b})"
    return f"{'MAX' if bigger else 'MIN'}({a}, {b})"


def _periods_cte(periods: list[tuple[dt.date, dt.date]]) -> tuple[str, list]:
    """`periods(n, starts, ends)`: the n-th period of `periods` as instants, from its first midnight to the
    midnight after its last day or now, whichever comes first (never before the first)."""
    rows, params = [], []
    for n, (start, end) in enumerate(periods):
        lower, upper = _midnight(start), min(_midnight(end + dt.timedelta(days=1)), timezone.now())
        rows.append("(%s, %s, %s)")
        params += [n, _param(lower), _param(max(upper, lower))]
    return f"periods(n, starts, ends) AS (VALUES {', '.join(rows)})", params


def _period_extras(periods: list[tuple[dt.date, dt.date]], unit_ids) -> list[dict[int, dict]]:
    """Blocked bed-days, cleaning turnaround and boarding hours per unit over each period (one query each for
    all the periods)."""
    cte, bounds = _periods_cte(periods)
    overall = [bounds[1], bounds[-1]]  # the first period's start and the last one's end, to read fewer rows
    where_bed, ids = _unit_filter(unit_ids, "b.unit_id")
    blocked_seconds = _seconds(_clip("COALESCE(sp.until, p.ends)", "p.ends", False),
                               _clip("sp.since", "p.starts", True))
    blocked = f"""
        WITH {cte},
        spans AS (
            SELECT h.id AS bed_id, h.status, h.history_date AS since,
                   LEAD(h.history_date) OVER (PARTITION BY h.id ORDER BY h.history_date, h.history_id) AS until
            FROM facilities_historicalbed h
        )
        SELECT p.n, b.unit_id, SUM({blocked_seconds})
        FROM periods p
        JOIN spans sp ON sp.since < p.ends AND (sp.until IS NULL OR sp.until > p.starts)
        JOIN facilities_bed b ON b.id = sp.bed_id
        WHERE sp.status IN ('blocked', 'out_of_service'){where_bed}
        GROUP BY p.n, b.unit_id"""
    cleaning = f"""
        WITH {cte}
        SELECT p.n, b.unit_id, AVG({_seconds('t.finished_at', 't.opened_at')}), COUNT(*)
        FROM periods p
        JOIN facilities_cleaningtask t ON t.finished_at >= p.starts AND t.finished_at < p.ends
        JOIN facilities_bed b ON b.id = t.bed_id
        WHERE t.status = 'done' AND t.finished_at >= %s AND t.finished_at < %s{where_bed}
        GROUP BY p.n, b.unit_id"""
    where_stay, stay_ids = _unit_filter(unit_ids, "o.unit_id")
    boarding = f"""
        WITH {cte}
        SELECT p.n, o.unit_id, SUM({_seconds('s.admitted_at', 's.waiting_since')}), COUNT(*)
        FROM periods p
        JOIN facilities_patientstay s ON s.admitted_at >= p.starts AND s.admitted_at < p.ends
        JOIN facilities_bedoccupancy o ON o.stay_id = s.id AND o.starts_at = s.admitted_at
        WHERE s.waiting_since IS NOT NULL AND s.admitted_at >= %s AND s.admitted_at < %s{where_stay}
        GROUP BY p.n, o.unit_id"""
    extras: list[dict[int, dict]] = [defaultdict(dict) for _ in periods]
    with connection.cursor() as cursor:
        cursor.execute(blocked, bounds + ids)
        for n, unit_id, seconds in cursor.fetchall():
            extras[n][unit_id]["blocked_seconds"] = float(seconds or 0)
        cursor.execute(cleaning, bounds + overall + ids)
        for n, unit_id, seconds, count in cursor.fetchall():
            extras[n][unit_id]["cleaning"] = (float(seconds or 0), count)
        cursor.execute(boarding, bounds + overall + stay_ids)
        for n, unit_id, seconds, count in cursor.fetchall():
            extras[n][unit_id]["boarding"] = (float(seconds or 0), count)
    return extras


def beds_in_force(*, start: dt.date, end: dt.date, unit_ids=None) -> dict[int, dict[dt.date, tuple[int, int]]]:
    """{unit id: {day: (staffed, licensed)}} for each day of [start, end]: the unit's latest bed count on or
    before the day (its first count before that). Units without any count are left out (see `utilisation`)."""
    days, params = _days_cte(start, end)
    where, ids = _unit_filter(unit_ids, "c.unit_id")
    sql = f"""
        WITH {days},
        spans AS (
            SELECT c.unit_id, c.staffed_beds, c.licensed_beds,
                   CASE WHEN ROW_NUMBER() OVER w = 1 THEN NULL ELSE c.effective_from END AS since,
                   LEAD(c.effective_from) OVER w AS until
            FROM facilities_bedcount c
            WHERE 1 = 1{where}
            WINDOW w AS (PARTITION BY c.unit_id ORDER BY c.effective_from)
        )
        SELECT d.day, sp.unit_id, sp.staffed_beds, sp.licensed_beds
        FROM days d JOIN spans sp
          ON (sp.since IS NULL OR sp.since <= d.day) AND (sp.until IS NULL OR d.day < sp.until)"""
    found: dict[int, dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + ids)
        for day, unit_id, staffed, licensed in cursor.fetchall():
            found[unit_id][_as_date(day)] = (staffed, licensed)
    return found


def daily(*, start: dt.date, end: dt.date, unit_ids=None, counted=None) -> dict[int, dict[dt.date, DayRow]]:
    """{unit id: {day: DayRow}} for each day of [start, end] with anything to count. `counted`: the midnight
    census of the same units already read (`midnight_census`) over a period that holds this one's."""
    if end < start or (end - start).days >= MAX_DAYS:
        raise ValueError("Choose a period of one day to three years.")
    rows: dict[int, dict[dt.date, DayRow]] = defaultdict(dict)

    def row(day, unit_id) -> DayRow:
        day = _as_date(day)
        return rows[unit_id].setdefault(day, DayRow(day=day, unit_id=unit_id))

    counted_until = min(end, timezone.localdate(timezone.now(), hospital_zone()) - dt.timedelta(days=1))
    if counted_until >= start and counted is not None:
        for unit_id, days in counted.items():
            for day, count in days.items():
                if start <= day <= counted_until:
                    row(day, unit_id).census = count
    elif counted_until >= start:  # a midnight still ahead has no census yet
        for day, unit_id, count in _census(start, counted_until, unit_ids):
            row(day, unit_id).census = count
    started, ended = _movements(start, end, unit_ids)
    for day, unit_id, admissions, transfers_in in started:
        r = row(day, unit_id)
        r.admissions, r.transfers_in = int(admissions or 0), int(transfers_in or 0)
    for day, unit_id, discharges, transfers_out, same_day in ended:
        r = row(day, unit_id)
        r.discharges, r.transfers_out, r.same_day = int(discharges or 0), int(transfers_out or 0), int(same_day or 0)
    return rows


def utilisation(*, start: dt.date, end: dt.date, unit_ids=None, counted=None
                ) -> tuple[dict[int, Utilisation], Utilisation]:
    """Each unit's measures and the whole (of the units asked for) over [start, end]; `counted` as for `daily`."""
    return utilisation_by_period([(start, end)], unit_ids=unit_ids, counted=counted)[0]


def utilisation_by_period(periods: list[tuple[dt.date, dt.date]], *, unit_ids=None, counted=None
                          ) -> list[tuple[dict[int, Utilisation], Utilisation]]:
    """`utilisation` of each of `periods` (in order, not overlapping, such as consecutive months), from one pass
    over the days from the first period's start to the last one's end: the daily figures are counted once and
    added up period by period."""
    if any(end < start for start, end in periods) or any(
            later[0] <= earlier[1] for earlier, later in zip(periods, periods[1:], strict=False)):
        raise ValueError("Give the periods in order, each ending on or after its start, none overlapping.")
    if not periods:
        return []
    first, last = periods[0][0], periods[-1][1]
    by_unit = daily(start=first, end=last, unit_ids=unit_ids, counted=counted)
    in_force = beds_in_force(start=first, end=last, unit_ids=unit_ids)
    beds = Bed.objects.filter(is_active=True).exclude(unit_id__in=list(in_force))
    if unit_ids is not None:
        beds = beds.filter(unit_id__in=list(unit_ids))
    for row in beds.values("unit_id").annotate(licensed=Count("pk"), staffed=Count("pk", filter=Q(is_staffed=True))):
        in_force[row["unit_id"]] = dict.fromkeys(_each_day(first, (last - first).days + 1),
                                                 (row["staffed"], row["licensed"]))
    return [_measures(start, end, by_unit, in_force, extras)
            for (start, end), extras in zip(periods, _period_extras(periods, unit_ids), strict=True)]


def _measures(start: dt.date, end: dt.date, by_unit: dict[int, dict[dt.date, DayRow]],
              in_force: dict[int, dict[dt.date, tuple[int, int]]], extras: dict[int, dict]
              ) -> tuple[dict[int, Utilisation], Utilisation]:
    """Each unit's measures and the whole over [start, end], from the daily figures and bed counts of a span
    that holds it, and the period's extras."""
    days = (end - start).days + 1
    active = {unit_id for unit_id, rows in by_unit.items() if any(start <= day <= end for day in rows)}
    counted = {unit_id for unit_id, beds in in_force.items()
               if any(beds.get(day, (0, 0))[1] for day in _each_day(start, days))}
    units: dict[int, Utilisation] = {}
    for unit_id in sorted(active | counted | set(extras)):
        measure = Utilisation(unit_id=unit_id, days=days)
        activity, counts = by_unit.get(unit_id, {}), in_force.get(unit_id, {})
        for day in _each_day(start, days):
            row = activity.get(day)
            if row is None and day not in counts:
                continue
            row = row or DayRow(day=day, unit_id=unit_id)
            row.staffed_beds, row.licensed_beds = counts.get(day, (0, 0))
            measure.daily.append(row)
        measure.staffed_beds, measure.licensed_beds = counts.get(end, (0, 0))
        for row in measure.daily:
            measure.patient_days += row.patient_days
            measure.admissions += row.admissions
            measure.discharges += row.discharges
            measure.transfers_in += row.transfers_in
            measure.transfers_out += row.transfers_out
            measure.staffed_bed_days += row.staffed_beds
            measure.licensed_bed_days += row.licensed_beds
        extra = extras.get(unit_id, {})
        measure.blocked_bed_days = Decimal(extra.get("blocked_seconds", 0) / 86400).quantize(Decimal("0.1"))
        if "cleaning" in extra:
            seconds, measure.cleanings = extra["cleaning"]
            measure.cleaning_minutes = Decimal(seconds / 60).quantize(Decimal("0.1"))
        if "boarding" in extra:
            seconds, measure.boarded = extra["boarding"]
            measure.boarding_hours = Decimal(seconds / 3600).quantize(Decimal("0.1"))
        units[unit_id] = measure
    return units, combine(units.values(), days=days, start=start)


def _each_day(start: dt.date, days: int):
    return (start + dt.timedelta(days=n) for n in range(days))


def combine(measures, *, days: int, start: dt.date) -> Utilisation:
    """The sum of several units' measures (the hospital, or a department's units)."""
    total = Utilisation(unit_id=None, days=days)
    per_day: dict[dt.date, DayRow] = {}
    cleaning_seconds = Decimal("0")
    for measure in measures:
        for name in ("staffed_beds", "licensed_beds", "staffed_bed_days", "licensed_bed_days", "patient_days",
                     "admissions", "discharges", "transfers_in", "transfers_out", "blocked_bed_days", "boarding_hours",
                     "boarded", "cleanings"):
            setattr(total, name, getattr(total, name) + getattr(measure, name))
        if measure.cleaning_minutes is not None:
            cleaning_seconds += measure.cleaning_minutes * measure.cleanings
        for row in measure.daily:
            day = per_day.setdefault(row.day, DayRow(day=row.day, unit_id=0))
            for name in ("census", "admissions", "discharges", "transfers_in", "transfers_out", "same_day",
                         "staffed_beds", "licensed_beds"):
                setattr(day, name, getattr(day, name) + getattr(row, name))
    if total.cleanings:
        total.cleaning_minutes = (cleaning_seconds / total.cleanings).quantize(Decimal("0.1"))
    total.daily = [per_day.get(start + dt.timedelta(days=n)) or DayRow(day=start + dt.timedelta(days=n), unit_id=0)
                   for n in range(days)]
    return total


def patient_days_by_month(*, start: dt.date, end: dt.date, unit_ids=None) -> dict[tuple[int, dt.date], int]:
    """{(unit id, first of month): patient days} over [start, end], the daily census added up by month: what a
    nursing unit's units of service are when no figure was imported. Only units with beds are counted."""
    totals: dict[tuple[int, dt.date], int] = defaultdict(int)
    for unit_id, days in daily(start=start, end=end, unit_ids=unit_ids).items():
        for day, row in days.items():
            totals[(unit_id, day.replace(day=1))] += row.patient_days
    return dict(totals)


def inpatient_unit_ids(unit_ids) -> set[int]:
    """Of `unit_ids`, the units that hold beds (inpatient units): one query."""
    return set(Bed.objects.filter(unit_id__in=list(unit_ids)).values_list("unit_id", flat=True).distinct())


def midnight_census(*, start: dt.date, end: dt.date, unit_ids=None) -> dict[int, dict[dt.date, int]]:
    """{unit id: {day: midnight census}} for the days of [start, end] whose midnight has passed (a day with
    nobody in a bed is absent): the census alone, in one query."""
    counted_until = min(end, timezone.localdate(timezone.now(), hospital_zone()) - dt.timedelta(days=1))
    result: dict[int, dict[dt.date, int]] = defaultdict(dict)
    if counted_until < start:
        return {}
    if (counted_until - start).days >= MAX_DAYS:
        raise ValueError("Choose a period of one day to three years.")
    for day, unit_id, count in _census(start, counted_until, unit_ids):
        result[unit_id][_as_date(day)] = count
    return dict(result)
