"""Forms of the equipment pages: shape and types only; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput

from .models import Asset, MaintenancePlan, Room, WorkOrder


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


class MaintenancePlanForm(BootstrapFormMixin, forms.ModelForm):
    """The asset is typed by its tag (with suggestions from the asset search as one types), so the page
    stays light with thousands of assets; the tag must name one of `assets`, the ones the user may see."""

    asset = forms.ModelChoiceField(
        label=_("Asset"), queryset=Asset.objects.none(), required=False, to_field_name="tag",
        help_text=_("Type part of the tag, kind, serial or model and pick the asset; leave empty for a plan "
                    "that covers every asset of the kind."),
        error_messages={"invalid_choice": _("No asset you can see has the tag %(value)s.")},
    )

    class Meta:
        model = MaintenancePlan
        fields = ["name", "kind", "asset", "tasks", "interval_days", "interval_hours", "starts_on", "is_active"]
        widgets = {"starts_on": DateInput(), "tasks": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, assets, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["asset"]
        field.queryset = assets
        field.widget = forms.TextInput(attrs={
            "class": "form-control", "list": "asset-options", "autocomplete": "off", "maxlength": 30,
            "placeholder": _("Asset tag"), "hx-get": search_url, "hx-trigger": "input changed delay:250ms",
            "hx-target": "#asset-options", "hx-swap": "innerHTML",
        })
        if self.instance.pk and self.instance.asset_id and not self.is_bound:
            self.initial["asset"] = self.instance.asset.tag


WEEKDAYS = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class OperatingHoursForm(BootstrapFormMixin, forms.Form):
    """A week of operating hours: for each weekday, when the asset opens and for how many hours (both empty:
    closed)."""

    def __init__(self, *args, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        known = {row.weekday: row for row in current}
        for day, name in enumerate(WEEKDAYS):
            row = known.get(day)
            self.fields[f"opens_{day}"] = forms.TimeField(label=_("%(day)s opens") % {"day": name}, required=False,
                                                          initial=row.opens if row else None,
                                                          widget=forms.TimeInput(attrs={"type": "time"}))
            self.fields[f"hours_{day}"] = forms.DecimalField(
                label=_("%(day)s hours") % {"day": name}, required=False, min_value=0, max_value=24,
                max_digits=4, decimal_places=2, initial=row.hours if row else None)

    def clean(self):
        cleaned = super().clean()
        for day, name in enumerate(WEEKDAYS):
            opens, hours = cleaned.get(f"opens_{day}"), cleaned.get(f"hours_{day}")
            if (opens is None) != (hours is None) and f"hours_{day}" not in self.errors:
                self.add_error(f"hours_{day}", _("%(day)s: give both the opening time and the hours, or neither.")
                               % {"day": name})
        return cleaned

    def week(self):
        return {day: (self.cleaned_data[f"opens_{day}"], self.cleaned_data[f"hours_{day}"])
                for day in range(7) if self.cleaned_data.get(f"opens_{day}") is not None}
