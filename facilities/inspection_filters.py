"""FilterSets for the inspection set-up pages (templates and schedules) and their exports."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from hospital_ops.scoping import within
from records.models import Department

from .models import Building, InspectionSchedule, InspectionTemplate


class TemplateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"), max_length=100)
    purpose = django_filters.ChoiceFilter(choices=InspectionTemplate.Purpose.choices, label=_("Purpose"))
    is_active = django_filters.BooleanFilter(label=_("In use"), widget=BooleanWidget)

    class Meta:
        model = InspectionTemplate
        fields = ["q", "purpose", "is_active"]


class ScheduleFilter(django_filters.FilterSet):
    template = django_filters.ModelChoiceFilter(queryset=InspectionTemplate.objects.order_by("name"),
                                                label=_("Template"))
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.order_by("code"), label=_("Building"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.filter(is_active=True).order_by("path"),
                                                  method="in_department", label=_("Unit"))
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=BooleanWidget)

    class Meta:
        model = InspectionSchedule
        fields = ["template", "building", "department", "is_active"]

    def in_department(self, queryset, name, value):
        return queryset.filter(within(value)) if value else queryset
