"""Forms of the inspection set-up pages (templates, checklist items, schedules): shape and types only; the
services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput
from records.models import Department

from .models import Building, InspectionSchedule, InspectionTemplate, TemplateItem


class TemplateForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InspectionTemplate
        fields = ["name", "purpose", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateItemForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = TemplateItem
        fields = ["area", "position", "text", "regulation_reference", "guidance", "is_active"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"position": _("Checks are asked in this order within their area.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].max_value = 999
        self.fields["position"].widget.attrs["max"] = 999
        if not self.instance.pk:
            self.fields["position"].help_text = _("Leave empty to add it last in its area.")


class ScheduleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = InspectionSchedule
        fields = ["template", "building", "department", "every_months", "per_shift", "starts_on", "is_active"]
        widgets = {"starts_on": DateInput()}
        help_texts = {"building": _("Choose a building or a unit, not both."),
                      "every_months": _("1 for monthly, 3 for quarterly, 12 for yearly.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.template_id if self.instance.pk else None
        self.fields["template"].queryset = InspectionTemplate.objects.filter(
            is_active=True) | InspectionTemplate.objects.filter(pk=current)
        self.fields["building"].queryset = Building.objects.filter(is_active=True).order_by("code")
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("path")
