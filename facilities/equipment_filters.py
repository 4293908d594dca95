"""FilterSets for the equipment register and work orders, shared by the pages, exports and the API."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from hospital_ops.scoping import within
from records.models import Department

from .models import Asset, Building, Criticality, EquipmentKind, MaintenancePlan, OperatingHours, WorkOrder

WORDS = re.compile(r"[\s,;]+")


def _departments(request):
    if request is None:
        return Department.objects.none()
    return Department.objects.visible_to(request.user).filter(is_active=True).order_by("path")


class AssetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ModelChoiceFilter(queryset=EquipmentKind.objects.order_by("name"), label=_("Kind"))
    department = django_filters.ModelChoiceFilter(queryset=_departments, method="in_department",
                                                  label=_("Department"))
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.order_by("code"),
                                                field_name="room__floor__building", label=_("Building"))
    criticality = django_filters.ChoiceFilter(choices=Criticality.choices, label=_("Criticality"))
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices, label=_("Status"))
    ordering = django_filters.OrderingFilter(
        fields=(("tag", "tag"), ("kind__name", "kind"), ("department__code", "department"),
                ("acquired_on", "acquired"), ("status", "status"), ("criticality", "criticality")),
        label=_("Sort by"),
    )

    class Meta:
        model = Asset
        fields = ["q", "kind", "department", "building", "criticality", "status"]

    def search(self, queryset, name, value):
        """Every word matches a tag, serial number, manufacturer, model, kind or room."""
        for word in [w for w in WORDS.split(value) if w][:5]:
            queryset = queryset.filter(
                Q(tag__icontains=word) | Q(serial_number__icontains=word) | Q(manufacturer__icontains=word)
                | Q(model_name__icontains=word) | Q(kind__name__icontains=word) | Q(room__number__icontains=word)
            )
        return queryset

    def in_department(self, queryset, name, value):
        return queryset.filter(within(value)) if value else queryset


class WorkOrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    status = django_filters.ChoiceFilter(choices=WorkOrder.Status.choices, label=_("Status"))
    open = django_filters.BooleanFilter(method="only_open", label=_("Open only"))
    kind = django_filters.ChoiceFilter(choices=WorkOrder.Kind.choices, label=_("Kind"))
    priority = django_filters.ChoiceFilter(choices=WorkOrder.Priority.choices, label=_("Priority"))
    department = django_filters.ModelChoiceFilter(queryset=_departments, method="in_department",
                                                  field_name="asset__department", label=_("Department"))
    asset = django_filters.NumberFilter(field_name="asset_id", min_value=1, max_value=2**63 - 1,
                                        widget=django_filters.widgets.forms.HiddenInput)

    class Meta:
        model = WorkOrder
        fields = ["q", "status", "open", "kind", "priority", "department", "asset"]

    def search(self, queryset, name, value):
        for word in [w for w in WORDS.split(value) if w][:5]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(asset__tag__icontains=word))
        return queryset

    def only_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(status__in=WorkOrder.OPEN_STATUSES) if value else queryset.exclude(
            status__in=WorkOrder.OPEN_STATUSES)

    def in_department(self, queryset, name, value):
        return queryset.filter(within(value, "asset__department")) if value else queryset


class MaintenancePlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    kind = django_filters.ModelChoiceFilter(queryset=EquipmentKind.objects.order_by("name"), label=_("Kind"))
    asset = django_filters.NumberFilter(field_name="asset_id", min_value=1, max_value=2**63 - 1, label=_("Asset"))
    is_active = django_filters.BooleanFilter(label=_("Active"), widget=BooleanWidget)
    by = django_filters.ChoiceFilter(choices=[("days", _("Calendar")), ("hours", _("Hours of use"))],
                                     method="by_interval", label=_("Interval"))

    class Meta:
        model = MaintenancePlan
        fields = ["q", "kind", "asset", "is_active", "by"]

    def search(self, queryset, name, value):
        for word in [w for w in WORDS.split(value) if w][:5]:
            queryset = queryset.filter(Q(name__icontains=word) | Q(asset__tag__icontains=word))
        return queryset

    def by_interval(self, queryset, name, value):
        return queryset.filter(interval_days__isnull=value != "days") if value else queryset


class OperatingHoursFilter(django_filters.FilterSet):
    asset = django_filters.NumberFilter(field_name="asset_id", min_value=1, max_value=2**63 - 1, label=_("Asset"))
    weekday = django_filters.NumberFilter(min_value=0, max_value=6, label=_("Weekday (0 is Monday)"))
    department = django_filters.ModelChoiceFilter(queryset=_departments, method="in_department",
                                                  field_name="asset__department", label=_("Department"))

    class Meta:
        model = OperatingHours
        fields = ["asset", "weekday", "department"]

    def in_department(self, queryset, name, value):
        return queryset.filter(within(value, "asset__department")) if value else queryset
