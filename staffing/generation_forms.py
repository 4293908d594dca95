"""Forms of the auto-scheduler's pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput

from .models import Generation, GeneratorSettings
from .scheduler_models import DEFAULT_TIME_LIMIT, MAX_FAIRNESS_WEIGHT, MAX_TIME_LIMIT, MIN_TIME_LIMIT


class GenerateForm(BootstrapFormMixin, forms.Form):
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=MIN_TIME_LIMIT, max_value=MAX_TIME_LIMIT, initial=DEFAULT_TIME_LIMIT,
    )
    keep = forms.ChoiceField(label=_("Cells to keep"), choices=Generation.Keep.choices, initial=Generation.Keep.ALL,
                             widget=forms.RadioSelect)


class LockForm(BootstrapFormMixin, forms.Form):
    employee = forms.IntegerField(label=_("Person"), min_value=1, max_value=2**31 - 1)
    date = forms.DateField(label=_("Day"), widget=DateInput)
    locked = forms.BooleanField(required=False, initial=True)


class GapForm(forms.Form):
    """Which gap of a roster: its day, shift type and skill (empty for any skill)."""

    date = forms.DateField()
    shift = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    skill = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class GeneratorSettingsForm(BootstrapFormMixin, forms.ModelForm):
    fairness_weight = forms.IntegerField(label=_("Fairness weight"), min_value=0, max_value=MAX_FAIRNESS_WEIGHT,
                                         help_text=GeneratorSettings._meta.get_field("fairness_weight").help_text)

    labour_limits_hard = forms.BooleanField(
        label=GeneratorSettings._meta.get_field("labour_limits_hard").verbose_name.capitalize(), required=False,
        help_text=GeneratorSettings._meta.get_field("labour_limits_hard").help_text)
    labour_limit_weight = forms.IntegerField(
        label=_("Labour limit weight"), min_value=0, max_value=MAX_FAIRNESS_WEIGHT, required=False,
        help_text=GeneratorSettings._meta.get_field("labour_limit_weight").help_text)

    class Meta:
        model = GeneratorSettings
        fields = ["fairness_weight", "labour_limits_hard", "labour_limit_weight"]
