"""Forms for open shifts and swaps on My shifts and the head's decisions."""

from django import forms
from django.urls import reverse_lazy
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin
from records.models import Employee

from .cover_services import swap_refusals
from .models import ShiftAssignment, SwapRequest


def _shift_label(assignment: ShiftAssignment) -> str:
    return f"{date_format(assignment.date, 'D j M Y')} · {assignment.shift_type.code}"


def in_return_choices(returns) -> list[tuple]:
    """The "In return for" options: a plain offer, then the chosen colleague's shifts the rules allow."""
    return [("", _("Nothing (a plain offer)")), *((a.pk, _shift_label(a)) for a in returns)]


class SwapOfferForm(BootstrapFormMixin, forms.Form):
    assignment = forms.TypedChoiceField(label=_("My shift"), coerce=int, empty_value=None)
    offered_to = forms.ModelChoiceField(
        label=_("Offer to"), queryset=Employee.objects.none(), required=False, empty_label=_("Anyone eligible"),
        # Picking a colleague fills "In return for" with their shifts the person may take.
        widget=forms.Select(attrs={"hx-get": reverse_lazy("staffing:swap-returns"), "hx-target": "#id_in_return",
                                   "hx-swap": "innerHTML", "hx-sync": "this:replace"}))
    # The options arrive for the chosen colleague (`in_return_choices`); a posted choice is checked in `clean`.
    in_return = forms.IntegerField(
        label=_("In return for"), required=False, widget=forms.Select(choices=in_return_choices([])),
        help_text=_("One of the chosen colleague's shifts you would work instead; the swap then goes to them."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, shifts, colleagues, returns=None, **kwargs):
        """`returns(colleague)` gives the colleague's shifts the person may take in return; it is asked
        only when a shift in return is posted."""
        super().__init__(*args, **kwargs)
        # The person's shifts they may offer, as loaded on My shifts.
        self.shifts = {a.pk: a for a in shifts}
        self.fields["assignment"].choices = [("", "---------"), *((a.pk, _shift_label(a)) for a in shifts)]
        self.fields["offered_to"].queryset = colleagues
        self.fields["offered_to"].label_from_instance = lambda e: f"{e.last_name}, {e.first_name}"
        self.returns = returns

    def clean_assignment(self):
        return self.shifts.get(self.cleaned_data["assignment"])

    def clean(self):
        data = super().clean()
        wanted = data.get("in_return")
        if wanted is None or "offered_to" in self.errors:
            return data
        colleague = data.get("offered_to")
        if colleague is None:
            raise forms.ValidationError(_("Choose the colleague whose shift you would work in return."))
        back = {a.pk: a for a in self.returns(colleague)}.get(wanted) if self.returns else None
        if back is None:
            raise forms.ValidationError(
                _("The shift in return must be one of the chosen colleague's that the rules let you work."))
        data["in_return"] = back
        given = data.get("assignment")
        if given is None:
            return data
        problems = swap_refusals(SwapRequest(assignment=given, offered_by=given.employee, in_return=back), colleague)
        if problems:
            raise forms.ValidationError(problems)
        return data
