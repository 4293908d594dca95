"""Page forms for people records. They check shape and types; services decide and save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput
from hospital_ops.scoping import within

from . import access
from .models import CatalogueProposal, Credential, Department, Employee, EmployeeSkill, Skill


class DepartmentForm(BootstrapFormMixin, forms.ModelForm):
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
        self.fields["head"].queryset = (
            Employee.objects.visible_to(user)
            .exclude(status=Employee.Status.TERMINATED)
            .order_by("last_name", "first_name")
        )


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
