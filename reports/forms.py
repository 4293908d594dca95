"""Forms check shape only: the services decide what is allowed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from records.models import Department

from .builder import REPORT_TYPES
from .models import HOSPITAL, ReportKind, ReportSchedule
from .periods import Period

MONTHS_OFFERED = 18
WEEKS_OFFERED = 10


def period_choices(today: dt.date, kind: str) -> list:
    """The periods a report of this kind covers, newest first: months for the monthly reports, and
    ISO weeks then months for the department activity report."""
    months = [Period.month_of(today)]
    while len(months) < MONTHS_OFFERED:
        months.append(months[-1].previous())
    month_choices = [(p.key, p.label) for p in months]
    if REPORT_TYPES[kind].months_only:
        return month_choices
    weeks = [Period.week_of(today)]
    while len(weeks) < WEEKS_OFFERED:
        weeks.append(weeks[-1].previous())
    return [("Weeks", [(p.key, p.label) for p in weeks]), ("Months", month_choices)]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=ReportKind.choices)
    period = forms.ChoiceField(label="Period")
    scope = forms.ChoiceField(label="Scope")

    def __init__(self, *args, departments, hospital_wide: bool, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only the reports the user may build
            self.fields["kind"].choices = [(value, label) for value, label in ReportKind.choices if value in kinds]
        today = timezone.localdate()
        self.fields["period"].initial = Period.month_of(today).previous().key
        self.choose_kind(self.data.get("kind") if self.is_bound else self.initial.get("kind"))
        scopes = [(HOSPITAL, "Whole hospital")] if hospital_wide else []
        scopes += [(str(d.pk), f"{'— ' * d.depth}{d.name}") for d in departments.order_by("path")]
        self.fields["scope"].choices = scopes
        offered = {value for value, _label in self.fields["kind"].choices}
        self.fields["kind"].help_text = " ".join(
            f"{t.title}: {t.purpose}" for t in REPORT_TYPES.values() if t.kind in offered
        )
        # Choosing another report reloads the period list that fits it (HTMX: no script on the page).
        self.fields["kind"].widget.attrs.update({
            "hx-get": reverse("reports:run-request"),
            "hx-trigger": "change",
            "hx-select": "#period-choice",
            "hx-target": "#period-choice",
            "hx-swap": "outerHTML",
        })

    def choose_kind(self, kind: str | None) -> None:
        """Offer the periods of this report (else of the first one listed), and preselect it."""
        offered = [value for value, _label in self.fields["kind"].choices]
        kind = kind if kind in offered else offered[0] if offered else ReportKind.choices[0][0]
        self.fields["period"].choices = period_choices(timezone.localdate(), kind)
        if not self.is_bound:
            self.initial["kind"] = kind


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = ReportSchedule
        fields = [
            "name", "kind", "frequency", "department", "each_department", "recipients", "recipient_roles",
            "notify_department_heads", "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("path")
        self.fields["recipients"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["recipient_roles"].queryset = Group.objects.order_by("name")
        self.fields["recipients"].widget.attrs["size"] = 8
