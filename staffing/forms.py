"""Page forms for rosters, their setup, time off and preferences. They check shape and types;
`staffing.services` and `staffing.setup_services` decide and save."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput, TimeInput
from records.forms import EmployeeNumberField
from records.models import Department, Employee, Skill

from . import access
from .models import NOTE_MAX_LENGTH, LabourRules, ShiftPreference, ShiftType, StaffingRequirement, TimeOff

WEEKDAYS = StaffingRequirement._meta.get_field("weekday").choices


def next_monday(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


# Rosters


class ScheduleCreateForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Unit"), queryset=Department.objects.none(),
                                        help_text=_("Units with shift types set up."))
    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    weeks = forms.IntegerField(label=_("Weeks"), min_value=1, max_value=9, initial=4)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=NOTE_MAX_LENGTH)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start_date", next_monday())
        kwargs.setdefault("auto_id", "new-roster-%s")  # its page also has the list's filter, with a "department"
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = access.schedulable_units(user)
        self.fields["department"].empty_label = _("Choose a unit…")

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if not dt.date(2000, 1, 1) <= start <= dt.date(2100, 12, 1):
            raise forms.ValidationError(_("Choose a first day between 2000 and 2100."))
        return start

    @property
    def end_date(self) -> dt.date:
        return self.cleaned_data["start_date"] + dt.timedelta(days=7 * self.cleaned_data["weeks"] - 1)


class CellForm(forms.Form):
    """One roster cell as the grid posts it: who, which day, and a shift code (empty clears it)."""

    employee = forms.IntegerField(min_value=1)
    date = forms.DateField()
    code = forms.CharField(required=False, max_length=8, strip=True)

    def clean_code(self):
        return self.cleaned_data["code"].upper()


class CommentForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=NOTE_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))


# Setup


class ShiftTypeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ShiftType
        fields = ["code", "name", "start_time", "duration_minutes", "paid_minutes", "is_night", "colour",
                  "required_skill", "required_credential", "is_active", "forbidden_successors"]
        widgets = {
            "start_time": TimeInput(),
            "colour": forms.TextInput(attrs={"type": "color"}),
            "forbidden_successors": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        successors = ShiftType.objects.filter(department=department).order_by("start_time", "code")
        if self.instance.pk:
            successors = successors.exclude(pk=self.instance.pk) | successors.filter(pk=self.instance.pk)
        self.fields["forbidden_successors"].queryset = successors
        self.fields["forbidden_successors"].help_text = _("Shifts that may not be worked the day after this one.")
        self.fields["forbidden_successors"].widget.attrs["class"] = "form-check-input"
        self.fields["colour"].widget.attrs["class"] = "form-control form-control-color"

    def clean(self):
        cleaned = super().clean()
        length, paid = cleaned.get("duration_minutes"), cleaned.get("paid_minutes")
        if length is not None and paid is not None and paid > length:
            self.add_error("paid_minutes", _("Paid minutes cannot exceed the shift's length."))
        return cleaned


class RequirementForm(BootstrapFormMixin, forms.Form):
    """A staffing need for a shift: on some weekdays (the weekly pattern), or on one date."""

    shift_type = forms.ModelChoiceField(label=_("Shift"), queryset=ShiftType.objects.none())
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.order_by("name"), required=False,
                                   help_text=_("Leave empty to count everyone on the shift."))
    weekdays = forms.TypedMultipleChoiceField(label=_("Weekdays"), choices=WEEKDAYS, coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    on_date = forms.DateField(label=_("Or on one date"), required=False, widget=DateInput(),
                              help_text=_("A date override replaces the weekday pattern on that day."))
    required_count = forms.IntegerField(label=_("People required"), min_value=0, max_value=200)
    under_weight = forms.IntegerField(label=_("Weight per person short"), min_value=0, initial=100)
    over_weight = forms.IntegerField(label=_("Weight per person over"), min_value=0, initial=1)

    def __init__(self, *args, department, instance=None, **kwargs):
        if instance is not None:
            kwargs.setdefault("initial", {}).update(
                shift_type=instance.shift_type_id, skill=instance.skill_id, on_date=instance.on_date,
                weekdays=[] if instance.weekday is None else [instance.weekday],
                required_count=instance.required_count, under_weight=instance.under_weight,
                over_weight=instance.over_weight,
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["shift_type"].queryset = ShiftType.objects.filter(department=department).order_by(
            "start_time", "code"
        )
        self.fields["weekdays"].widget.attrs["class"] = "form-check-input"
        if instance is not None:
            self.fields["weekdays"].help_text = _("An existing entry covers one weekday.")

    def clean(self):
        cleaned = super().clean()
        weekdays, on_date = cleaned.get("weekdays") or [], cleaned.get("on_date")
        if "weekdays" in cleaned and "on_date" in cleaned:
            if bool(weekdays) == bool(on_date):
                self.add_error("weekdays", _("Tick one or more weekdays, or give a date, not both."))
            elif self.instance is not None and len(weekdays) > 1:
                self.add_error("weekdays", _("An existing entry covers one weekday."))
        return cleaned


class LabourRulesForm(BootstrapFormMixin, forms.ModelForm):
    """The rule fields, and for a unit or a contract one optional limit per shift type of the unit."""

    class Meta:
        model = LabourRules
        fields = list(LabourRules.RULE_FIELDS)

    def __init__(self, *args, shift_types=(), limits=None, **kwargs):
        super().__init__(*args, **kwargs)
        limits = limits or {}
        self.shift_types = list(shift_types)
        for shift_type in self.shift_types:
            self.fields[f"limit_{shift_type.pk}"] = forms.IntegerField(
                label=_("Most %(code)s shifts in a roster") % {"code": shift_type.code}, required=False,
                min_value=0, max_value=366, initial=limits.get(shift_type.pk),
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
        for name in LabourRules.RULE_FIELDS:
            self.fields[name].help_text = _("Empty: the wider rule applies.")

    @property
    def limit_fields(self):
        return [self[f"limit_{shift_type.pk}"] for shift_type in self.shift_types]

    def shift_limits(self):
        return [
            {"shift_type": shift_type, "max_shifts": self.cleaned_data[f"limit_{shift_type.pk}"]}
            for shift_type in self.shift_types
            if self.cleaned_data.get(f"limit_{shift_type.pk}") is not None
        ]


class ContractChoiceForm(BootstrapFormMixin, forms.Form):
    employee = EmployeeNumberField(
        label=_("Employee"), options_id="employee-options",
        help_text=_("Type part of the name or number and pick the person: someone in a unit you run who has no "
                    "contract rules yet."),
        error_messages={"invalid_choice": _("No one without contract rules in a unit you run has the number "
                                            "%(value)s.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = (
            access.contract_candidates(user, Employee.objects.filter(labour_rules__isnull=True))
            .exclude(status=Employee.Status.TERMINATED)
            .select_related("department")
        )


# Time off and preferences


class TimeOffForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TimeOff
        fields = ["kind", "start_date", "end_date", "note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return cleaned


class DecisionForm(BootstrapFormMixin, forms.Form):
    APPROVE_AND_REMOVE = "approve_remove"

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), (APPROVE_AND_REMOVE, _("Approve and remove the draft shifts")),
                 ("deny", _("Deny"))]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH)


class PreferenceForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ShiftPreference
        fields = ["date", "shift_type", "kind", "priority"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, shift_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift_type"].queryset = shift_types
        self.fields["shift_type"].empty_label = _("Choose a shift…")
        self.fields["priority"].widget.attrs.update(min="1", max="10")
