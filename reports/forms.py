"""Forms check shape only: the services decide what is allowed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from records.models import Department

from .builder import REPORT_TYPES
from .models import HOSPITAL, ReportKind, ReportSchedule
from .periods import Period


def period_choices(today: dt.date) -> list:
    months = [Period.month_of(today)]
    while len(months) < 18:
        months.append(months[-1].previous())
    weeks = [Period.week_of(today)]
    while len(weeks) < 10:
        weeks.append(weeks[-1].previous())
    return [
        ("Months", [(p.key, p.label) for p in months]),
        ("Weeks (department activity only)", [(p.key, p.label) for p in weeks]),
    ]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Report", choices=ReportKind.choices)
    period = forms.ChoiceField(label="Period")
    scope = forms.ChoiceField(label="Scope")

    def __init__(self, *args, departments, hospital_wide: bool, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period"].choices = period_choices(today)
        self.fields["period"].initial = Period.month_of(today).previous().key
        scopes = [(HOSPITAL, "Whole hospital")] if hospital_wide else []
        scopes += [(str(d.pk), f"{'— ' * d.depth}{d.name}") for d in departments.order_by("path")]
        self.fields["scope"].choices = scopes
        self.fields["kind"].help_text = " ".join(
            f"{t.title}: {t.purpose}" for t in REPORT_TYPES.values()
        )


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
