"""Forms of the bed pages: a bed in the registry, a change of its status, a bed for a waiting patient."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin

from .models import Bed, Room


class BedForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Bed
        fields = ["room", "label", "kind", "isolation", "negative_pressure", "oxygen", "telemetry", "bariatric",
                  "is_staffed", "is_active"]

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(
            department__path__startswith=unit.path, kind=Room.Kind.PATIENT, is_active=True,
        ).select_related("floor__building")


class BedStatusForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (Bed.Status.AVAILABLE, Bed.Status.AVAILABLE.label), (Bed.Status.BLOCKED, Bed.Status.BLOCKED.label),
        (Bed.Status.OUT_OF_SERVICE, Bed.Status.OUT_OF_SERVICE.label), (Bed.Status.DIRTY, Bed.Status.DIRTY.label),
    ])
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    until = forms.DateTimeField(
        label=_("Expected back"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_until(self):
        until = self.cleaned_data.get("until")
        if until is not None and not (timezone.now() < until < timezone.now() + dt.timedelta(days=730)):
            raise forms.ValidationError(_("Choose a time within the next two years."))
        return until


class AssignForm(BootstrapFormMixin, forms.Form):
    bed = forms.ModelChoiceField(label=_("Bed"), queryset=Bed.objects.none(), empty_label=None)

    def __init__(self, *args, beds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].queryset = beds
        self.fields["bed"].label_from_instance = lambda bed: " · ".join(
            [f"{bed.unit.code} {bed}", str(bed.get_kind_display()), *bed.attribute_names])
