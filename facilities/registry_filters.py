"""FilterSets for the registry pages and their exports."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from hospital_ops.scoping import within
from records.models import Department

from . import access
from .equipment_filters import WORDS
from .models import Building, Floor, Room


def _room_departments(request):
    if request is None:
        return Department.objects.none()
    return access.room_departments(request.user)


class BuildingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    is_active = django_filters.BooleanFilter(label=_("In use"), widget=BooleanWidget)

    class Meta:
        model = Building
        fields = ["q", "is_active"]

    def search(self, queryset, name, value):
        for word in [w for w in WORDS.split(value) if w][:5]:
            queryset = queryset.filter(Q(code__icontains=word) | Q(name__icontains=word)
                                       | Q(address__icontains=word))
        return queryset


class FloorFilter(django_filters.FilterSet):
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.order_by("code"), label=_("Building"))

    class Meta:
        model = Floor
        fields = ["building"]


class RoomFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=100)
    building = django_filters.ModelChoiceFilter(queryset=Building.objects.order_by("code"),
                                                field_name="floor__building", label=_("Building"))
    department = django_filters.ModelChoiceFilter(queryset=_room_departments, method="in_department",
                                                  label=_("Department"))
    kind = django_filters.ChoiceFilter(choices=Room.Kind.choices, label=_("Kind"))
    is_active = django_filters.BooleanFilter(label=_("In use"), widget=BooleanWidget)
    ordering = django_filters.OrderingFilter(
        fields=(("number", "number"), ("department__code", "department"), ("kind", "kind"),
                ("floor__level", "floor")),
        label=_("Sort by"),
    )

    class Meta:
        model = Room
        fields = ["q", "building", "department", "kind", "is_active"]

    def search(self, queryset, name, value):
        for word in [w for w in WORDS.split(value) if w][:5]:
            queryset = queryset.filter(Q(number__icontains=word) | Q(name__icontains=word))
        return queryset

    def in_department(self, queryset, name, value):
        return queryset.filter(within(value)) if value else queryset
