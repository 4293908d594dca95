"""Approving time off and rostering the same person that day, at the same moment: one of the two is
refused. Run for real on PostgreSQL, two threads and two connections per try."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from staffing import services
from staffing.models import ShiftAssignment, TimeOff
from staffing.services import CellChange
from tests.records.factories import EmployeeFactory
from tests.staffing.test_races import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]

TRIES = 10


def request_for(hospital, day, employee=None):
    return TimeOff.objects.create(
        employee=employee or hospital.nurse, start_date=day, end_date=day, requested_by=hospital.users["head_med"]
    )


def test_an_approval_and_a_shift_for_the_same_day_never_both_commit(hospital, roster):
    """Each try with someone not yet on any roster (nothing of theirs to lock but their own row)."""
    head, scheduler = hospital.users["head_med"], hospital.users["scheduler_med"]
    both, unexpected = [], []
    for day in roster.days[:TRIES]:
        employee = EmployeeFactory(department=hospital.ward)
        time_off = request_for(hospital, day, employee)
        outcomes = race(
            lambda time_off=time_off: services.decide_time_off(actor=head, time_off=time_off, approve=True),
            lambda day=day, employee=employee: services.set_cells(
                actor=scheduler, schedule=roster.schedule, changes=[CellChange(employee, day, roster.day)]
            ),
        )
        approved = TimeOff.objects.get(pk=time_off.pk).status == TimeOff.Status.APPROVED
        rostered = ShiftAssignment.objects.filter(employee=employee, date=day).exists()
        if approved and rostered:
            both.append(day)
        if sum(isinstance(o, ValidationError) for o in outcomes) != 1 or approved == rostered:
            unexpected.append((day, outcomes))
    assert both == [], f"both committed on {len(both)} of {TRIES} days"
    assert unexpected == []


def test_the_refused_side_says_why(hospital, roster):
    head, scheduler = hospital.users["head_med"], hospital.users["scheduler_med"]
    messages = set()
    for day in roster.days[: TRIES * 2 : 2]:
        time_off = request_for(hospital, day)
        outcomes = race(
            lambda time_off=time_off: services.decide_time_off(actor=head, time_off=time_off, approve=True),
            lambda day=day: services.set_cells(
                actor=scheduler, schedule=roster.schedule, changes=[CellChange(hospital.nurse, day, roster.day)]
            ),
        )
        messages |= {" ".join(o.messages) for o in outcomes if isinstance(o, ValidationError)}
    assert messages
    assert all("rostered on those days" in m or "approved time off" in m for m in messages), messages


def test_approving_with_removal_while_the_cell_is_rewritten_never_leaves_both(hospital, roster):
    """The head approves and clears the draft shift while the scheduler changes that shift: whoever
    goes first, the person is never left both rostered and on approved leave that day."""
    head, scheduler = hospital.users["head_med"], hospital.users["scheduler_med"]
    for day in roster.days[: TRIES * 2 : 2]:
        services.set_cells(
            actor=scheduler, schedule=roster.schedule, changes=[CellChange(hospital.nurse, day, roster.day)]
        )
        time_off = request_for(hospital, day)
        outcomes = race(
            lambda time_off=time_off: services.decide_time_off(
                actor=head, time_off=time_off, approve=True, remove_draft_shifts=True
            ),
            lambda day=day: services.set_cells(
                actor=scheduler, schedule=roster.schedule, changes=[CellChange(hospital.nurse, day, roster.late)]
            ),
        )
        approved = TimeOff.objects.get(pk=time_off.pk).status == TimeOff.Status.APPROVED
        rostered = ShiftAssignment.objects.filter(employee=hospital.nurse, date=day).exists()
        assert approved != rostered, (day, outcomes)
        assert not any(isinstance(o, Exception) and not isinstance(o, ValidationError) for o in outcomes), outcomes
