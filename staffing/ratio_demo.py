"""Demo census-driven staffing: nurse-to-patient ratios and HPPD targets for every inpatient unit (a unit
with beds), by the kind of its beds, at the levels hospitals commonly plan to."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from facilities.models import Bed
from records.demo import DemoContext

from .models import HppdTarget, StaffingRatio

Kind = Bed.Kind
# patients per person on the day, evening and night shifts; at least this many on a shift; target HPPD (the
# nursing hours the three eight-hour ratios give a patient day, e.g. 8/5 + 8/5 + 8/6 = 4.5 on a med-surg unit)
RATIOS = {
    Kind.GENERAL: ((5, 5, 6), 2, "4.5"),  # med-surg
    Kind.ICU: ((2, 2, 2), 2, "12.0"),
    Kind.STEP_DOWN: ((3, 3, 4), 2, "7.3"),
    Kind.PAEDIATRIC: ((4, 4, 5), 2, "5.6"),
    Kind.NEONATAL: ((3, 3, 3), 2, "8.0"),
    Kind.MATERNITY: ((5, 5, 6), 2, "4.5"),
    Kind.PSYCHIATRIC: ((6, 6, 8), 2, "3.7"),
    Kind.OBSERVATION: ((4, 4, 5), 1, "5.6"),
}
SHIFT_CODES = ("D", "E", "N")
EARLIER_TARGET = Decimal("0.5")  # a year ago the target was half an hour lower


def build_ratios(ctx: DemoContext) -> None:
    by_unit: dict[int, dict] = ctx.data.get("shift_types", {})
    kinds: dict[int, str] = {}
    for unit_id, kind in Bed.objects.values_list("unit_id", "kind").order_by("unit_id", "kind").distinct():
        kinds.setdefault(unit_id, kind)  # a unit's first kind of bed, alphabetically, decides
    since = ctx.today - dt.timedelta(days=120)
    ratios, targets = [], []
    for unit_id, kind in sorted(kinds.items()):
        shifts = by_unit.get(unit_id)
        if not shifts or kind not in RATIOS:
            continue
        patients, minimum, target = RATIOS[kind]
        for code, per in zip(SHIFT_CODES, patients, strict=True):
            if code in shifts:
                ratios.append(StaffingRatio(department_id=unit_id, shift_type=shifts[code], patients_per_person=per,
                                            minimum=minimum, effective_from=since))
        targets.append(HppdTarget(department_id=unit_id, effective_from=ctx.today - dt.timedelta(days=730),
                                  hours_per_patient_day=Decimal(target) - EARLIER_TARGET))
        targets.append(HppdTarget(department_id=unit_id, effective_from=ctx.today - dt.timedelta(days=365),
                                  hours_per_patient_day=Decimal(target)))
    ctx.bulk_create(StaffingRatio, ratios)
    ctx.bulk_create(HppdTarget, targets)
    ctx.log(f"census staffing: {len(ratios)} ratios, {len(targets)} HPPD targets")


STEPS = [build_ratios]
