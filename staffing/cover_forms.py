"""Forms for open shifts and swaps on My shifts and the head's decisions."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin
from records.models import Employee

from .cover_services import swap_refusals
from .models import ShiftAssignment, SwapRequest


def _shift_label(assignment: ShiftAssignment) -> str:
    return f"{date_format(assignment.date, 'D j M Y')} · {assignment.shift_type.code}"


class SwapOfferForm(BootstrapFormMixin, forms.Form):
    assignment = forms.TypedChoiceField(label=_("My shift"), coerce=int, empty_value=None)
    offered_to = forms.ModelChoiceField(label=_("Offer to"), queryset=Employee.objects.none(), required=False,
                                        empty_label=_("Anyone eligible"))
    in_return = forms.TypedChoiceField(
        label=_("In return for"), required=False, coerce=int, empty_value=None,
        help_text=_("One of a colleague's shifts you would work instead; the swap then goes to that colleague."))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, shifts, colleagues, returns=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The person's shifts they may offer, as loaded (with the colleagues' shifts, on My shifts).
        self.shifts = {a.pk: a for a in shifts}
        self.fields["assignment"].choices = [("", "---------"), *((a.pk, _shift_label(a)) for a in shifts)]
        self.fields["offered_to"].queryset = colleagues
        self.fields["offered_to"].label_from_instance = lambda e: f"{e.last_name}, {e.first_name}"
        # Colleagues' shifts the rule check allows in return, grouped by colleague.
        self.returns = {a.pk: a for a in returns}
        groups: dict[str, list] = {}
        for a in returns:
            groups.setdefault(f"{a.employee.last_name}, {a.employee.first_name}", []).append((a.pk, _shift_label(a)))
        self.fields["in_return"].choices = [("", _("Nothing (a plain offer)")), *groups.items()]

    def clean_assignment(self):
        return self.shifts.get(self.cleaned_data["assignment"])

    def clean(self):
        data = super().clean()
        back = self.returns.get(data.get("in_return"))
        data["in_return"] = back
        given = data.get("assignment")
        if back is None or given is None:
            return data
        if data.get("offered_to") is not None and data["offered_to"].pk != back.employee_id:
            raise forms.ValidationError(_("A shift in return must be the colleague's own."))
        data["offered_to"] = back.employee
        problems = swap_refusals(SwapRequest(assignment=given, offered_by=given.employee, in_return=back),
                                 back.employee)
        if problems:
            raise forms.ValidationError(problems)
        return data
