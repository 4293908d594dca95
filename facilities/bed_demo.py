"""Demo beds and two years of patient flow for every inpatient unit.

Beds go in the demo patient rooms (bays of two, four at large scale; single rooms in critical care,
labour and neonatal units). Each bed is walked through two years: a stay (length drawn per kind of unit),
a discharge late in the morning, a clean of 30 to 120 minutes, an empty spell that is shorter in winter
and longer at weekends, the next admission. Some ward admissions come straight from critical care (a
transfer: one stay, two beds), some board in the emergency department first. The last stays are still
in bed today; a few beds are dirty, being cleaned or blocked, and a few patients wait for a bed.
A bay of Ward 4 East closed for want of staff some months ago: its beds take no patients since, and the
unit's bed counts (staffed and licensed beds from a day on) say so, as the bed services would have.
Stays, bed occupancies and cleaning tasks go in with COPY (hospital_ops.bulk), without history rows: the large
hospital (about 600 beds, 60,000 stays) takes seconds."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Callable

from django.utils import timezone

from hospital_ops.bulk import insert_rows, reserve_ids
from records.demo import DemoContext
from records.models import Department

from .models import AdtEvent, Bed, BedCount, BedOccupancy, CleaningTask, PatientStay, Room, StayAccess

HISTORY_DAYS = 730
NOT_INPATIENT = {"SURG-OR", "SURG-PACU", "ED-MAIN", "ED-FT"}
SINGLE_ROOMS = {"CC-ICU", "CC-CCU", "CC-HDU", "WC-NICU", "WC-LD"}
CRITICAL = {"CC-ICU", "CC-CCU", "CC-HDU"}
KINDS = {
    "CC-ICU": Bed.Kind.ICU, "CC-CCU": Bed.Kind.ICU, "CC-HDU": Bed.Kind.STEP_DOWN, "WC-PAED": Bed.Kind.PAEDIATRIC,
    "WC-NICU": Bed.Kind.NEONATAL, "WC-MAT": Bed.Kind.MATERNITY, "WC-LD": Bed.Kind.MATERNITY,
    "MH-ACU": Bed.Kind.PSYCHIATRIC,
}
# Mean length of stay in days, by kind of bed.
LENGTH_OF_STAY = {
    Bed.Kind.ICU: 3.5, Bed.Kind.STEP_DOWN: 3.0, Bed.Kind.PAEDIATRIC: 3.0, Bed.Kind.NEONATAL: 9.0,
    Bed.Kind.MATERNITY: 2.2, Bed.Kind.PSYCHIATRIC: 13.0, Bed.Kind.GENERAL: 5.6,
}
CLOSED_BAY = "MED-4E"  # its last two rooms closed for want of staff CLOSED_DAYS ago
CLOSED_DAYS = 120
BLOCK_REASONS = ["Broken bed motor", "Awaiting deep clean after C. diff", "Ceiling leak repair",
                 "Oxygen outlet fault", "Staffing: bay closed"]


def _unit_rooms(ctx: DemoContext) -> list[tuple[Department, list[Room]]]:
    found = []
    for code, rooms in sorted(ctx.data.get("rooms", {}).items()):
        patient_rooms = [room for room in rooms if room.kind == Room.Kind.PATIENT]
        if code in NOT_INPATIENT or not patient_rooms:
            continue
        found.append((patient_rooms[0].department, patient_rooms))
    return found


def build_beds(ctx: DemoContext) -> None:
    beds = []
    per_bay, side_every = (4, 8) if ctx.large else (2, 5)
    for unit, rooms in _unit_rooms(ctx):
        kind = KINDS.get(unit.code, Bed.Kind.GENERAL)
        for index, room in enumerate(rooms):
            single = unit.code in SINGLE_ROOMS or index % side_every == side_every - 1  # side rooms
            for n in range(1 if single else per_bay):
                beds.append(Bed(
                    room=room, unit=unit, label="ABCD"[n], kind=kind,
                    isolation=single and unit.code not in {"WC-LD"},
                    negative_pressure=single and index % 10 == 4,
                    telemetry=unit.code in {"MED-5W", "CC-CCU", "CC-HDU"} or kind == Bed.Kind.ICU,
                    bariatric=index % 12 == 7 and n == 0,
                    is_staffed=not (unit.code == CLOSED_BAY and index >= len(rooms) - 2),
                ))
    ctx.data["beds"] = ctx.bulk_create(Bed, beds)
    # Bed counts: every bed staffed two years ago, the closed bay unstaffed since it closed.
    counts, closed = {}, ctx.today - dt.timedelta(days=CLOSED_DAYS)
    for bed in beds:
        staffed, licensed, now_staffed = counts.get(bed.unit_id, (0, 0, 0))
        counts[bed.unit_id] = (staffed + 1, licensed + 1, now_staffed + bed.is_staffed)
    first = ctx.today - dt.timedelta(days=HISTORY_DAYS + 1)
    rows = [BedCount(unit_id=unit_id, effective_from=first, staffed_beds=staffed, licensed_beds=licensed)
            for unit_id, (staffed, licensed, _) in counts.items()]
    rows += [BedCount(unit_id=unit_id, effective_from=closed, staffed_beds=now_staffed, licensed_beds=licensed)
             for unit_id, (staffed, licensed, now_staffed) in counts.items() if now_staffed != staffed]
    BedCount.objects.bulk_create(rows)
    ctx.log(f"facilities: {len(beds)} beds in {len(counts)} units, {len(rows)} bed counts")


def _season(moment: dt.datetime) -> float:
    """1 in the depth of winter (mid-January), 0 in midsummer."""
    day = moment.timetuple().tm_yday
    return (1 + math.cos(2 * math.pi * (day - 15) / 365.25)) / 2


def _discharge_time(moment: dt.datetime, rng) -> dt.datetime:
    """Discharges happen late morning to mid afternoon."""
    local = timezone.localtime(moment)
    hour = rng.choice([10, 11, 11, 12, 13, 14, 15, 16])
    return local.replace(hour=hour, minute=rng.randint(0, 59), second=0, microsecond=0)


def build_flow(ctx: DemoContext) -> None:
    rng, beds = ctx.rng, ctx.data.get("beds", [])
    if not beds:
        return
    now = timezone.now().replace(microsecond=0)
    start = now - dt.timedelta(days=HISTORY_DAYS)
    # Critical care first: its stays' ends are where some ward stays begin (transfers out of ICU).
    ordered = sorted(beds, key=lambda bed: (bed.unit.code not in CRITICAL, bed.pk))
    segments: list[dict] = []  # one per bed occupancy; "stay" is the index of the stay it belongs to
    stays: list[dict] = []
    step_down_ends: list[tuple[dt.datetime, int]] = []  # (end, segment index) of ICU segments open to transfer
    closed = now - dt.timedelta(days=CLOSED_DAYS)
    for bed in ordered:
        mean_stay = LENGTH_OF_STAY[bed.kind]
        moment = start + dt.timedelta(hours=rng.uniform(0, 24 * mean_stay))
        last_end, until = start, now if bed.is_staffed else closed  # a closed bed's last patient left before
        while moment < until:
            # Transfer in from critical care: take an ICU stay that ended since this bed was last free.
            transfer_from = None
            if bed.kind == Bed.Kind.GENERAL and step_down_ends and rng.random() < 0.12:
                i = bisect.bisect_left(step_down_ends, (last_end + dt.timedelta(hours=2), -1))
                if i < len(step_down_ends) and step_down_ends[i][0] <= moment:
                    moment, transfer_from = step_down_ends.pop(i)
            length = rng.lognormvariate(math.log(mean_stay) - 0.32, 0.8) * (1 + 0.15 * _season(moment))
            end = _discharge_time(moment + dt.timedelta(days=max(length, 0.15)), rng)
            if end <= moment:
                end = moment + dt.timedelta(hours=rng.uniform(3, 9))
            if not bed.is_staffed and end >= until:
                break
            if transfer_from is None:
                stays.append({"admitted": moment, "unit": bed.unit, "boarded": None})
                stay_index = len(stays) - 1
                if rng.random() < 0.3:  # came through the emergency department and waited for the bed
                    stays[-1]["boarded"] = moment - dt.timedelta(hours=rng.uniform(0.5, 4 + 6 * _season(moment)))
            else:
                stay_index = segments[transfer_from]["stay"]
            open_now = end >= now
            segments.append({"bed": bed, "stay": stay_index, "starts": moment, "ends": None if open_now else end})
            stays[stay_index]["last"] = len(segments) - 1
            if open_now:
                break
            if rng.random() < (0.45 if bed.unit.code in CRITICAL else 0.06):
                bisect.insort(step_down_ends, (end, len(segments) - 1))
            # Cleaning, then an empty spell: shorter in winter, longer over a weekend.
            gap = dt.timedelta(minutes=rng.randint(30, 120)) + dt.timedelta(
                hours=rng.expovariate(1 / (10 + 26 * (1 - _season(end)))))
            following = end + gap
            if timezone.localtime(following).weekday() >= 5 and rng.random() < 0.6:
                following += dt.timedelta(days=7 - timezone.localtime(following).weekday())
            last_end, moment = end, following
    # Stays that were transferred out end in the ward: their ICU segment is not their last.
    stay_ids = reserve_ids(PatientStay, len(stays))
    stay_rows, mrn_pool, active_mrn = [], max(1000, len(stays) * 2 // 3), 10_000_000
    for n, stay in enumerate(stays):
        last = segments[stay["last"]]
        current = last["ends"] is None
        if current:
            active_mrn += 1
            mrn = f"{active_mrn:08d}"
        else:
            mrn = f"{rng.randint(1, mrn_pool):08d}"
        stay_rows.append((
            stay_ids[n], f"V{24_000_000 + n:09d}", mrn, last["bed"].unit_id, last["bed"].pk,
            PatientStay.Status.ACTIVE.value if current else PatientStay.Status.DISCHARGED.value,
            stay["admitted"], last["ends"], stay["boarded"], "ED" if stay["boarded"] else "",
            (stay["admitted"] + dt.timedelta(days=rng.randint(2, 8))).date() if current else None,
            last["ends"] or last["starts"],
        ))
    insert_rows(PatientStay, ["id", "encounter_number", "mrn", "unit_id", "bed_id", "status", "admitted_at",
                              "discharged_at", "waiting_since", "waiting_location", "expected_discharge",
                              "last_event_at"], stay_rows)
    occupancies = insert_rows(
        BedOccupancy, ["stay_id", "bed_id", "unit_id", "starts_at", "ends_at"],
        ((stay_ids[segment["stay"]], segment["bed"].pk, segment["bed"].unit_id, segment["starts"], segment["ends"])
         for segment in segments),
    )
    _finish_today(ctx, segments, now)
    _analyze()
    ctx.log(f"facilities: {len(stays)} stays, {occupancies} bed occupancies over {HISTORY_DAYS} days")


def _finish_today(ctx: DemoContext, segments: list[dict], now: dt.datetime) -> None:
    """Cleaning history, today's bed statuses, blocked beds and patients waiting for a bed."""
    rng = ctx.rng
    last_by_bed: dict[int, dict] = {}
    tasks, to_clean = [], set()
    for segment in segments:
        last_by_bed[segment["bed"].pk] = segment
        if segment["ends"] is not None:
            opened = segment["ends"]
            finished = opened + dt.timedelta(minutes=rng.randint(30, 120))
            if finished <= now:
                tasks.append((segment["bed"].pk, CleaningTask.Status.DONE.value, opened,
                              opened + dt.timedelta(minutes=rng.randint(5, 25)), finished))
            else:
                tasks.append((segment["bed"].pk, CleaningTask.Status.OPEN.value, opened, None, None))
                to_clean.add(segment["bed"].pk)
    insert_rows(CleaningTask, ["bed_id", "status", "opened_at", "started_at", "finished_at"], tasks)
    changed = []
    for bed in ctx.data["beds"]:
        last = last_by_bed.get(bed.pk)
        if last is not None and last["ends"] is None:
            bed.status, bed.status_changed_at = Bed.Status.OCCUPIED, last["starts"]
        elif bed.pk in to_clean:
            bed.status, bed.status_changed_at = Bed.Status.DIRTY, last["ends"]
        elif rng.random() < 0.03 or bed.pk % 41 == 0:
            bed.status, bed.status_changed_at = Bed.Status.BLOCKED, now - dt.timedelta(hours=rng.randint(2, 60))
            bed.status_reason = rng.choice(BLOCK_REASONS)
            bed.blocked_until = now + dt.timedelta(hours=rng.randint(6, 72))
        else:
            continue
        changed.append(bed)
    Bed.objects.bulk_update(changed, ["status", "status_changed_at", "status_reason", "blocked_until"], batch_size=500)
    in_progress = [t.pk for t in CleaningTask.objects.filter(status=CleaningTask.Status.OPEN).order_by("pk")[:3]]
    CleaningTask.objects.filter(pk__in=in_progress).update(status=CleaningTask.Status.IN_PROGRESS, started_at=now)
    Bed.objects.filter(cleaning_tasks__pk__in=in_progress).update(status=Bed.Status.CLEANING)
    units = sorted({bed.unit for bed in ctx.data["beds"]}, key=lambda unit: unit.code)
    waiting = []
    for n in range(max(3, len(units) // 2)):
        unit = units[n % len(units)]
        waiting.append(PatientStay(
            encounter_number=f"V{29_000_000 + n:09d}", mrn=f"{30_000_000 + n:08d}", unit=unit,
            status=PatientStay.Status.PENDING, waiting_since=now - dt.timedelta(minutes=rng.randint(20, 600)),
            waiting_location="ED", needs_isolation=n % 4 == 3, last_event_at=now - dt.timedelta(minutes=20),
            needs_kind=KINDS.get(unit.code, Bed.Kind.GENERAL),
        ))
    ctx.bulk_create(PatientStay, waiting, history=False)


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, or PostgreSQL plans the census as if the tables were empty."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE facilities_bed, facilities_patientstay, facilities_bedoccupancy, "
                           "facilities_cleaningtask")


STEPS: list[Callable[[DemoContext], None]] = [build_beds, build_flow]


def flush() -> None:
    """Delete in dependency order with plain DELETEs: tens of thousands of stays deleted one by one (with a
    history row each) would take minutes."""
    from django.db import connection

    for model in (StayAccess, AdtEvent, CleaningTask, BedOccupancy, PatientStay, BedCount, Bed):
        model.objects.all()._raw_delete(connection.alias)
        if hasattr(model, "history"):
            model.history.model.objects.all()._raw_delete(connection.alias)
