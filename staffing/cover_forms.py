"""Forms for open shifts and swaps on My shifts and the head's decisions."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin
from records.models import Employee

from .models import ShiftAssignment


class SwapOfferForm(BootstrapFormMixin, forms.Form):
    assignment = forms.ModelChoiceField(label=_("My shift"), queryset=ShiftAssignment.objects.none())
    offered_to = forms.ModelChoiceField(label=_("Offer to"), queryset=Employee.objects.none(), required=False,
                                        empty_label=_("Anyone eligible"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, shifts, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = shifts
        self.fields["assignment"].label_from_instance = (
            lambda a: f"{date_format(a.date, 'D j M Y')} · {a.shift_type.code}")
        self.fields["offered_to"].queryset = colleagues
        self.fields["offered_to"].label_from_instance = lambda e: f"{e.last_name}, {e.first_name}"
