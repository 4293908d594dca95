"""Demo data for the auto-scheduler: each rostered unit's fairness weight, and on Ward 4 West's
current published roster two open shifts posted where the coverage is short."""

from __future__ import annotations

from .demo import _decider, rostered_units
from .models import GeneratorSettings, OpenShift, Schedule, StaffingRequirement


def build_generator(ctx) -> None:
    units = rostered_units(ctx)
    ctx.bulk_create(GeneratorSettings, [
        GeneratorSettings(department=unit, fairness_weight=20 if unit.code == "MED-4W" else 10) for unit in units
    ])
    ward = ctx.data["departments"].get("MED-4W")
    if ward is None:
        return
    poster = _decider(ctx, ward)
    schedule = (Schedule.objects.filter(department=ward, status=Schedule.Status.PUBLISHED, start_date__lte=ctx.today)
                .order_by("-start_date").first())
    if schedule is None:
        return
    requirements = list(StaffingRequirement.objects.filter(department=ward, on_date__isnull=True, skill__isnull=True)
                        .select_related("shift_type"))
    staffed = {}
    for day, shift_type_id in schedule.assignments.values_list("date", "shift_type_id"):
        staffed[(day, shift_type_id)] = staffed.get((day, shift_type_id), 0) + 1
    posts = []
    for day in schedule.days:
        if day < ctx.today:
            continue
        for req in requirements:
            if req.weekday == day.weekday() and staffed.get((day, req.shift_type_id), 0) < req.required_count:
                posts.append(OpenShift(schedule=schedule, shift_type=req.shift_type, date=day, posted_by=poster,
                                       note="Short on this shift; claim it if you can."))
        if len(posts) >= 2:
            break
    ctx.bulk_create(OpenShift, posts[:2])
    ctx.log(f"scheduler: {len(units)} units' generator settings, {len(posts[:2])} open shifts")
