import datetime as dt

import factory

from staffing.models import LabourRules, Schedule, ShiftType, StaffingRequirement
from tests.records.factories import DepartmentFactory, UserFactory


class ShiftTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftType

    department = factory.SubFactory(DepartmentFactory)
    code = factory.Sequence(lambda n: f"S{n}")
    name = factory.LazyAttribute(lambda s: f"Shift {s.code}")
    start_time = dt.time(7, 0)
    duration_minutes = 480
    paid_minutes = 450


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffingRequirement

    shift_type = factory.SubFactory(ShiftTypeFactory)
    department = factory.LazyAttribute(lambda r: r.shift_type.department)
    weekday = 0
    required_count = 1


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    department = factory.SubFactory(DepartmentFactory)
    start_date = dt.date(2026, 12, 7)  # a Monday
    end_date = factory.LazyAttribute(lambda s: s.start_date + dt.timedelta(days=27))
    created_by = factory.SubFactory(UserFactory)


def hospital_rules(**fields):
    return LabourRules.objects.create(scope=LabourRules.Scope.HOSPITAL, **fields)
