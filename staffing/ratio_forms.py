"""Page forms for census-driven staffing: a unit's ratios, its HPPD targets, and the HPPD page's period.
They check shape and types; `staffing.ratio_services` decides and saves."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput
from records.models import Department

from .models import HppdTarget, ShiftType, StaffingRatio

MAX_MONTHS = 36


class RatioForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = StaffingRatio
        fields = ["shift_type", "skill", "basis", "patients_per_person", "hours_per_patient_day", "share_percent",
                  "minimum", "effective_from", "effective_until", "under_weight", "over_weight"]
        widgets = {"effective_from": DateInput(), "effective_until": DateInput()}

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = ShiftType.objects.filter(department=department).order_by(
            "start_time", "code"
        )
        self.fields["skill"].queryset = self.fields["skill"].queryset.order_by("name")

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("basis")
        if basis == StaffingRatio.Basis.PATIENTS and cleaned.get("patients_per_person") is None:
            self.add_error("patients_per_person", _("Give how many patients one person looks after."))
        if basis == StaffingRatio.Basis.HOURS:
            for name in ("hours_per_patient_day", "share_percent"):
                if cleaned.get(name) is None:
                    self.add_error(name, _("Hours per patient day need this."))
        return cleaned

    def _post_clean(self):
        """The service validates the whole row (it clears the other basis' fields first)."""


class HppdTargetForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = HppdTarget
        fields = ["effective_from", "hours_per_patient_day"]
        widgets = {"effective_from": DateInput()}

    def _post_clean(self):
        """The service validates the whole row."""


class HppdPeriodForm(BootstrapFormMixin, forms.Form):
    """Months from … to (inclusive), and a unit or the whole hospital."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Department.objects.none(), required=False,
                                  empty_label=_("All units I run"))
    start = forms.DateField(label=_("From month"), input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    end = forms.DateField(label=_("To month"), input_formats=["%Y-%m"],
                          widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last month cannot be before the first."))
            elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
                self.add_error("end", _("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
            elif start < dt.date(2000, 1, 1) or end > dt.date(2100, 12, 1):
                self.add_error("start", _("Choose months between 2000 and 2100."))
        return cleaned
