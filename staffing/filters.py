"""FilterSets shared by the roster pages and the API.

A department filter includes the department's units and accepts only departments the caller can
see (any other id is an invalid choice). Date ranges (`date_from`, `date_to`, both inclusive)
keep the rows that overlap the range.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hospital_ops.filters import IdFilter
from records.models import Department

from .models import (
    HppdTarget,
    LabourRules,
    Schedule,
    ShiftAssignment,
    ShiftPreference,
    ShiftType,
    StaffingRatio,
    StaffingRequirement,
    TimeOff,
)


def _visible_departments(request):
    if request is None:
        return Department.objects.none()
    return Department.objects.visible_to(request.user)


class DepartmentSubtreeFilter(django_filters.ModelChoiceFilter):
    """Rows of a visible department or of any of its units."""

    def __init__(self, *, path_field: str, **kwargs):
        self.path_field = path_field
        kwargs.setdefault("field_name", path_field.removesuffix("__path"))
        kwargs.setdefault("queryset", _visible_departments)
        kwargs.setdefault("label", _("Department"))
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.path_field}__startswith": value.path})


class _PeriodFilterSet(django_filters.FilterSet):
    """`date_from` / `date_to` select rows whose [start, end] overlaps the range."""

    start_field = "start_date"
    end_field = "end_date"

    date_from = django_filters.DateFilter(method="ends_on_or_after", label=_("From"))
    date_to = django_filters.DateFilter(method="starts_on_or_before", label=_("To"))

    def ends_on_or_after(self, queryset, name, value):
        return queryset.filter(**{f"{self.end_field}__gte": value})

    def starts_on_or_before(self, queryset, name, value):
        return queryset.filter(**{f"{self.start_field}__lte": value})


class ScheduleFilter(_PeriodFilterSet):
    department = DepartmentSubtreeFilter(path_field="department__path")
    status = django_filters.ChoiceFilter(choices=Schedule.Status.choices, label=_("Status"))

    class Meta:
        model = Schedule
        fields = ["department", "status", "date_from", "date_to"]


class AssignmentFilter(_PeriodFilterSet):
    start_field = end_field = "date"

    schedule = IdFilter(field_name="schedule_id", label=_("Roster"))
    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    shift_type = IdFilter(field_name="shift_type_id", label=_("Shift type"))
    department = DepartmentSubtreeFilter(path_field="schedule__department__path")

    class Meta:
        model = ShiftAssignment
        fields = ["schedule", "employee", "shift_type", "department", "date_from", "date_to"]


class TimeOffFilter(_PeriodFilterSet):
    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    department = DepartmentSubtreeFilter(path_field="employee__department__path")
    status = django_filters.ChoiceFilter(choices=TimeOff.Status.choices, label=_("Status"))
    kind = django_filters.ChoiceFilter(choices=TimeOff.Kind.choices, label=_("Kind"))

    class Meta:
        model = TimeOff
        fields = ["employee", "department", "status", "kind", "date_from", "date_to"]


class PreferenceFilter(_PeriodFilterSet):
    start_field = end_field = "date"

    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    kind = django_filters.ChoiceFilter(choices=ShiftPreference.Kind.choices, label=_("Preference"))

    class Meta:
        model = ShiftPreference
        fields = ["employee", "kind", "date_from", "date_to"]


class ShiftTypeFilter(django_filters.FilterSet):
    department = DepartmentSubtreeFilter(path_field="department__path")

    class Meta:
        model = ShiftType
        fields = ["department", "is_active", "is_night"]


class RequirementFilter(django_filters.FilterSet):
    department = DepartmentSubtreeFilter(path_field="department__path")
    shift_type = IdFilter(field_name="shift_type_id", label=_("Shift type"))

    class Meta:
        model = StaffingRequirement
        fields = ["department", "shift_type", "weekday"]


class LabourRulesFilter(django_filters.FilterSet):
    department = IdFilter(field_name="department_id", label=_("Unit"))
    employee = IdFilter(field_name="employee_id", label=_("Employee"))
    scope = django_filters.ChoiceFilter(choices=LabourRules.Scope.choices, label=_("Applies to"))

    class Meta:
        model = LabourRules
        fields = ["scope", "department", "employee"]


class RatioFilter(django_filters.FilterSet):
    department = DepartmentSubtreeFilter(path_field="department__path")
    shift_type = IdFilter(field_name="shift_type_id", label=_("Shift type"))
    in_force_on = django_filters.DateFilter(method="filter_in_force_on", label=_("In force on"))

    class Meta:
        model = StaffingRatio
        fields = ["department", "shift_type", "basis"]

    def filter_in_force_on(self, queryset, name, value):
        return queryset.filter(Q(effective_until__isnull=True) | Q(effective_until__gte=value),
                               effective_from__lte=value)


class HppdTargetFilter(django_filters.FilterSet):
    department = DepartmentSubtreeFilter(path_field="department__path")

    class Meta:
        model = HppdTarget
        fields = ["department"]
