import datetime as dt

import pytest

from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory


@pytest.fixture
def roster(hospital):
    """Ward 4 West's draft roster for four weeks from Monday 7 Dec 2026, with day (D), late (L) and
    night (N) shifts; a night may not be followed by a day or late shift."""
    ward = hospital.ward
    day = ShiftTypeFactory(department=ward, code="D", name="Day", start_time=dt.time(7), duration_minutes=480)
    late = ShiftTypeFactory(department=ward, code="L", name="Late", start_time=dt.time(14), duration_minutes=480)
    night = ShiftTypeFactory(
        department=ward, code="N", name="Night", start_time=dt.time(21), duration_minutes=600, is_night=True
    )
    night.forbidden_successors.set([day, late])
    schedule = ScheduleFactory(department=ward, created_by=hospital.users["scheduler_med"])

    class Roster:
        pass

    r = Roster()
    r.schedule, r.day, r.late, r.night, r.ward = schedule, day, late, night, ward
    r.monday = schedule.start_date
    r.days = [schedule.start_date + dt.timedelta(days=n) for n in range(28)]
    return r
