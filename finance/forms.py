"""Page forms for finance. They check shape and types; `finance.services` decides and saves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hospital_ops.forms import BootstrapFormMixin, DateInput
from records.models import Department

from . import access
from .models import Account, ChargeCode, FiscalYear, RateChange
from .services.expenditure import MAX_LINES as REQUEST_MAX_LINES

LARGEST_AMOUNT = Decimal("999999999999.99")
MAX_LINES = 8


def amount_field(**kwargs):
    return forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"), max_value=LARGEST_AMOUNT,
                              **kwargs)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month picker), kept as its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def clean(self, value):
        day = super().clean(value)
        if day is None:
            return day
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 1):
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return day.replace(day=1)


class FiscalYearForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=20)
    start_date = MonthField(label=_("First month"))


class AccountForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Account
        fields = ["gl_code", "name", "kind", "is_variable", "is_active"]


class ExpenditureForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    month = MonthField(label=_("Budget month"))
    vendor = forms.CharField(label=_("Vendor"), max_length=120)
    justification = forms.CharField(label=_("Justification"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("month", timezone.localdate().replace(day=1))
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = access.departments_where(user, access.HEAD)


class ExpenditureLineForm(BootstrapFormMixin, forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.filter(is_active=True),
                                     required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = amount_field(label=_("Amount"), required=False)

    def clean(self):
        data = super().clean()
        filled = [data.get(name) for name in ("account", "amount")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("A line needs both an account and an amount."))
        return data


ExpenditureLineFormSet = forms.formset_factory(ExpenditureLineForm, extra=3, max_num=MAX_LINES, validate_max=True,
                                               absolute_max=MAX_LINES)


class ExpenditureChangeForm(BootstrapFormMixin, forms.Form):
    """A request's own fields as its page changes them; its department stays."""

    month = MonthField(label=_("Budget month"))
    vendor = forms.CharField(label=_("Vendor"), max_length=120)
    justification = forms.CharField(label=_("Justification"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


def expenditure_change_lines(*, existing: int):
    """The lines of a request being changed: the ones it has, and two blank ones for more, up to the most a
    request holds (a request raised through the API may have more lines than the new-request page offers)."""
    most = max(REQUEST_MAX_LINES, existing)
    return forms.formset_factory(ExpenditureLineForm, extra=2 if existing < most else 0, max_num=most,
                                 validate_max=True, absolute_max=most)


class DecisionForm(forms.Form):
    reason = forms.CharField(max_length=2000, required=False, strip=True)


class AttachmentForm(forms.Form):
    file = forms.FileField()


class BudgetCreateForm(BootstrapFormMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    fiscal_year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=FiscalYear.objects.all())
    label = forms.CharField(label=_("Label"), max_length=80, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = access.budget_departments(user)


class UploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"))


class LedgerUploadForm(UploadForm):
    batch_id = forms.CharField(label=_("Ledger batch id"), max_length=60)


class LabourPostingForm(BootstrapFormMixin, forms.Form):
    month = MonthField(label=_("Month"))


class CopyForm(BootstrapFormMixin, forms.Form):
    source = forms.ChoiceField(label=_("Copy"), choices=[("budget", _("Last year's budget")),
                                                        ("actuals", _("Last year's actuals"))])
    uplift_percent = forms.DecimalField(label=_("Uplift %"), max_digits=5, decimal_places=2, initial=3,
                                        validators=[MinValueValidator(-50), MaxValueValidator(100)])


class PhaseForm(BootstrapFormMixin, forms.Form):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.filter(is_active=True))
    annual = forms.DecimalField(label=_("Annual figure"), max_digits=14, decimal_places=2, min_value=0,
                                max_value=LARGEST_AMOUNT)
    method = forms.ChoiceField(label=_("Phasing"), choices=[("even", _("Even")),
                                                           ("last_year", _("By last year's pattern"))])


class RateOnDateForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    on = forms.DateField(label=_("On"), widget=DateInput())

    def clean_on(self):
        day = self.cleaned_data["on"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return day


class PriceForm(BootstrapFormMixin, forms.Form):
    price = forms.DecimalField(label=_("Price"), max_digits=14, decimal_places=2, min_value=0,
                               max_value=LARGEST_AMOUNT)
    valid_from = forms.DateField(label=_("Effective from"), widget=DateInput())

    def clean_valid_from(self):
        day = self.cleaned_data["valid_from"]
        if not dt.date(2000, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise forms.ValidationError(_("Choose a date between 2000 and 2100."))
        return day


class ChargeCodeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ChargeCode
        fields = ["code", "system", "revenue_code", "description", "department", "is_active"]


class RateChangeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = RateChange
        fields = ["percent", "effective_from", "department", "code_from", "code_to"]
        widgets = {"effective_from": DateInput()}


class VarianceFilterForm(BootstrapFormMixin, forms.Form):
    """The variance's year, department and month, chosen among the years and departments the page has already
    read (so the filter costs no query of its own)."""

    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False, empty_value=None)
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    through = MonthField(label=_("Through"), required=False)

    def __init__(self, *args, years, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = {year.pk: year for year in years}
        self.departments = {department.pk: department for department in departments}
        self.fields["fiscal_year"].choices = [(year.pk, year.name) for year in years]
        self.fields["department"].choices = [("", _("Whole hospital"))] + [
            (department.pk, str(department)) for department in departments]

    def clean_fiscal_year(self):
        value = self.cleaned_data["fiscal_year"]
        return None if value is None else self.years[value]

    def clean_department(self):
        value = self.cleaned_data["department"]
        return None if value is None else self.departments[value]


class ExplanationForm(forms.Form):
    department = forms.IntegerField(min_value=1)
    account = forms.IntegerField(min_value=1)
    month = forms.DateField()
    text = forms.CharField(max_length=2000, strip=True)
