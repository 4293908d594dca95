"""The daily inspection job and units that have no rooms yet."""

import datetime as dt
import logging

import pytest

from facilities import inspection_services as services
from facilities.models import Inspection, InspectionSchedule

from .equipment_fixtures import site
from .inspection_fixtures import template

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(hospital):
    return site(hospital)


def test_a_unit_without_rooms_is_skipped_with_a_log_line_and_the_others_still_open(h, caplog):
    rounds = template()
    roomless = InspectionSchedule.objects.create(template=rounds, department=h.surgery, every_months=1,
                                                 starts_on=dt.date(2026, 1, 1))
    InspectionSchedule.objects.create(template=rounds, department=h.ward, every_months=1,
                                      starts_on=dt.date(2026, 1, 1))
    with caplog.at_level(logging.WARNING, logger="facilities.inspection_services"):
        assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 10)) == 1
    assert Inspection.objects.get().department == h.ward
    assert f"schedule {roomless.pk} skipped" in caplog.text
    assert not Inspection.objects.filter(schedule=roomless).exists()


def test_the_skipped_unit_is_opened_once_it_has_a_room(h):
    rounds = template()
    InspectionSchedule.objects.create(template=rounds, department=h.surgery, every_months=1,
                                      starts_on=dt.date(2026, 1, 1))
    assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 10)) == 0
    h.theatre_room.department = h.surgery
    h.theatre_room.save()
    assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 11)) == 1
    assert Inspection.objects.get().building == h.building
