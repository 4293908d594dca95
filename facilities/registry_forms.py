"""Forms of the registry pages: shape and types only; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin

from .models import Building, Floor, Room


class BuildingForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["code", "name", "address", "is_active"]


class FloorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Floor
        fields = ["building", "level", "name"]
        help_texts = {"name": _("Leave empty to call it by its level.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.order_by("code")


class RoomForm(BootstrapFormMixin, forms.ModelForm):
    building = forms.ModelChoiceField(label=_("Building"), queryset=Building.objects.none())

    class Meta:
        model = Room
        fields = ["building", "floor", "number", "name", "department", "kind", "is_active"]

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.order_by("code")
        self.fields["floor"].queryset = Floor.objects.select_related("building").order_by("building__code", "level")
        self.fields["department"].queryset = departments
        if self.instance.pk:
            self.initial.setdefault("building", self.instance.floor.building_id)
