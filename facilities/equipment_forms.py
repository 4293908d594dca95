"""Forms of the equipment pages: shape and types only; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput

from .models import Asset, Room, WorkOrder


class AssetForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Asset
        fields = ["tag", "kind", "manufacturer", "model_name", "serial_number", "department", "room",
                  "criticality", "acquired_on", "acquisition_cost", "expected_life_years", "status", "notes"]
        widgets = {"acquired_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["room"].queryset = Room.objects.filter(department__in=departments).select_related(
            "floor__building")


class FaultForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("What is wrong"), max_length=200)
    description = forms.CharField(label=_("Details"), max_length=4000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    priority = forms.ChoiceField(label=_("Priority"), choices=WorkOrder.Priority.choices,
                                 initial=WorkOrder.Priority.NORMAL)
    takes_out_of_service = forms.BooleanField(label=_("The equipment cannot be used"), required=False)


class HoldForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Waiting for"), max_length=500)


class CompleteForm(BootstrapFormMixin, forms.Form):
    labour_hours = forms.DecimalField(label=_("Labour hours"), min_value=0, max_value=2000, decimal_places=2,
                                      max_digits=6)
    parts_cost = forms.DecimalField(label=_("Parts cost"), min_value=0, max_value=99999999, decimal_places=2,
                                    max_digits=10, initial=0)
    notes = forms.CharField(label=_("What was done"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class UsageImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "Columns: sender_id, asset_tag, start, end, exam_type (ISO dates and times, e.g. 2026-03-04T08:15)."))
