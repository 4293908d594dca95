"""Page forms for people records. They check shape and types; services decide and save."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Credential, Department, Employee, EmployeeSkill, Skill


class BootstrapFormMixin:
    """Bootstrap classes on every widget, and `is-invalid` on the fields that failed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        self._mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self._mark_invalid()

    def add_service_error(self, error: ValidationError):
        """Show a service's ValidationError next to the fields it names, the rest above the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields else None
                if name != NON_FIELD_ERRORS and target is None:
                    errors = [ValidationError(f"{name}: {message}") for e in errors for message in e.messages]
                self.add_error(target, errors)
        else:
            self.add_error(None, error)

    def _mark_invalid(self):
        for name in getattr(self, "_errors", None) or {}:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def manageable_departments(user):
    """Departments where the user may create and edit people records."""
    departments = Department.objects.filter(is_active=True)
    if access.is_hospital_wide(user):
        return departments
    return departments.filter(pk__in=access.department_ids(user, access.HEAD))


class DepartmentForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name", "kind", "parent", "cost_centre", "head", "is_active"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        parents = manageable_departments(user)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
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
        departments = manageable_departments(user)
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
