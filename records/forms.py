"""Page forms for people records. They check shape and types; services decide and save."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput
from hospital_ops.scoping import within

from . import access, selectors
from .models import CatalogueProposal, Credential, Department, Employee, EmployeeSkill, Skill


class EmployeeNumberField(forms.ModelChoiceField):
    """An employee typed by their number, with suggestions from the employee search as one types (into the
    `<datalist id="{options_id}">` the page places), so the page stays light with thousands of people; the
    number must name one of the field's `queryset`."""

    def __init__(self, *, options_id: str, **kwargs):
        kwargs.setdefault("error_messages", {
            "invalid_choice": _("No employee you can choose here has the number %(value)s."),
        })
        super().__init__(queryset=Employee.objects.none(), to_field_name="employee_number", **kwargs)
        self.options_id = options_id
        self.widget = forms.TextInput(attrs={
            "class": "form-control", "list": options_id, "autocomplete": "off", "maxlength": 20,
            "placeholder": _("Employee number"), "hx-get": reverse_lazy("records:employee-search"),
            "hx-trigger": "input changed delay:250ms", "hx-target": f"#{options_id}", "hx-swap": "innerHTML",
        })

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class DepartmentForm(BootstrapFormMixin, forms.ModelForm):
    head = EmployeeNumberField(
        label=_("Head"), required=False, options_id="head-options",
        help_text=_("Type part of the name or number and pick the person."),
    )

    class Meta:
        model = Department
        fields = ["code", "name", "kind", "parent", "cost_centre", "head", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = access.departments_where(user, access.HEAD)
        if self.instance.pk:
            parents = parents.exclude(within(self.instance, ""))
            if self.instance.parent_id:
                parents = parents | Department.objects.filter(pk=self.instance.parent_id)
        self.fields["parent"].queryset = parents.distinct().order_by("path")
        self.fields["parent"].required = not access.is_hospital_wide(user) and not (
            self.instance.pk and self.instance.parent_id is None
        )
        self.fields["parent"].help_text = _("Leave empty for a top-level department.") if not self.fields[
            "parent"
        ].required else _("The department this unit belongs to.")
        self.fields["head"].queryset = selectors.employee_choices(user)
        if self.instance.pk and self.instance.head_id and not self.is_bound:
            self.initial["head"] = self.instance.head


class EmployeeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Employee
        fields = [
            "employee_number",
            "first_name",
            "last_name",
            "email",
            "phone",
            "department",
            "job_title",
            "employment_type",
            "fte",
            "hourly_rate",
            "hire_date",
            "termination_date",
            "status",
        ]
        widgets = {"hire_date": DateInput(), "termination_date": DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = access.departments_where(user, access.HEAD)
        if self.instance.pk:
            departments = departments | Department.objects.filter(pk=self.instance.department_id)
        self.fields["department"].queryset = departments.distinct().order_by("path")
        self.fields["fte"].widget.attrs.update(step="0.05", min="0", max="1")
        self.fields["hourly_rate"].widget.attrs.update(step="0.01", min="0")

    def clean(self):
        cleaned = super().clean()
        hired, left = cleaned.get("hire_date"), cleaned.get("termination_date")
        if hired and left and left < hired:
            self.add_error("termination_date", _("The termination date cannot be before the hire date."))
        return cleaned


class EmployeeSkillForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = EmployeeSkill
        fields = ["skill", "level", "acquired_on"]
        widgets = {"acquired_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].empty_label = _("Choose a skill…")


class CredentialForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Credential
        fields = ["credential_type", "number", "issuer", "issued_on", "expiry_date"]
        widgets = {"issued_on": DateInput(), "expiry_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["credential_type"].empty_label = _("Choose a type…")

    def clean(self):
        cleaned = super().clean()
        issued, expires = cleaned.get("issued_on"), cleaned.get("expiry_date")
        if issued and expires and expires <= issued:
            self.add_error("expiry_date", _("The expiry date must be after the issue date."))
        return cleaned


class SkillForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Skill
        fields = ["code", "name", "description", "required_credentials"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "required_credentials": forms.SelectMultiple(
            attrs={"size": 6})}


class CatalogueProposalForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CatalogueProposal
        fields = ["catalogue", "code", "name", "description", "reason"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "reason": forms.Textarea(attrs={"rows": 3})}


class ProposalDecisionForm(BootstrapFormMixin, forms.Form):
    accept = forms.TypedChoiceField(choices=[("1", _("Accept")), ("0", _("Decline"))], coerce=lambda v: v == "1")
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.TextInput())
