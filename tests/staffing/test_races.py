"""Races run for real on PostgreSQL: two threads, two connections, one winner."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staffing import services
from staffing.models import Schedule, ShiftAssignment
from staffing.services import CellChange
from tests.races import race
from tests.records.factories import make_user
from tests.staffing.factories import ScheduleFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and exclusion constraints need PostgreSQL"),
]



def test_two_approvers_at_once_make_exactly_one_approval(hospital, roster):
    services.set_cells(
        actor=hospital.users["scheduler_med"],
        schedule=roster.schedule,
        changes=[CellChange(hospital.nurse, roster.days[0], roster.day)],
    )
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)
    second_head = make_user(username="head_med_2", head_of=[hospital.medicine])
    outcomes = race(
        lambda: services.approve_schedule(actor=hospital.users["head_med"], schedule=roster.schedule),
        lambda: services.approve_schedule(actor=second_head, schedule=roster.schedule),
    )
    approved = [o for o in outcomes if isinstance(o, Schedule)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(approved) == 1 and len(refused) == 1, outcomes
    assert "already approved this roster" in refused[0].messages[0]
    assert roster.schedule.history.filter(history_change_reason="approved").count() == 1


def test_two_rosters_booking_one_person_at_once_commit_at_most_one(hospital, roster):
    """Both services see a free employee; the exclusion constraint lets only one commit."""
    from tests.staffing.factories import ShiftTypeFactory

    other_unit_shift = ShiftTypeFactory(department=hospital.medicine, code="T", start_time=roster.day.start_time)
    other = ScheduleFactory(department=hospital.medicine, created_by=hospital.users["head_med"])
    day = roster.days[0]
    outcomes = race(
        lambda: services.set_cells(
            actor=hospital.users["scheduler_med"],
            schedule=roster.schedule,
            changes=[CellChange(hospital.nurse, day, roster.day)],
        ),
        lambda: services.set_cells(
            actor=hospital.users["head_med"],
            schedule=other,
            changes=[CellChange(hospital.nurse, day, other_unit_shift)],
        ),
    )
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 1, outcomes
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 1, outcomes


def test_the_database_refuses_overlapping_shifts_on_different_days(hospital, roster):
    from django.db import IntegrityError

    from tests.staffing.factories import ShiftTypeFactory

    early = ShiftTypeFactory(department=roster.ward, code="E", start_time=roster.day.start_time.replace(hour=6))
    ShiftAssignment.objects.create(
        schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.night, date=roster.days[0]
    )  # 21:00 to 07:00
    with pytest.raises(IntegrityError):
        ShiftAssignment.objects.create(
            schedule=roster.schedule, employee=hospital.nurse, shift_type=early, date=roster.days[1]
        )
