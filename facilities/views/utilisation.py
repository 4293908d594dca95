"""The utilisation page: census and flow measures by unit and for all the units one sees, over any period,
with a chart of the daily census and CSV/XLSX downloads."""

from __future__ import annotations

import datetime as dt
import hashlib

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from hospital_ops.exports import export_response
from hospital_ops.forms import BootstrapFormMixin, DateInput
from hospital_ops.pages import require
from records.access import ALL, visible_department_ids
from records.models import Department

from .. import access, census, census_outlook, forecast
from ..charts import line_chart

HEADERS = ["Unit", "Licensed beds", "Staffed beds", "Patient days", "Average census", "Occupancy % (staffed)",
           "Occupancy % (licensed)", "Admissions", "Discharges", "Transfers in", "Transfers out",
           "Average length of stay (days)", "Bed turnover", "Blocked bed-days", "Cleaning turnaround (min)",
           "Boarding hours"]


class PeriodForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(queryset=Department.objects.none(), required=False, empty_label="All my units")
    start = forms.DateField(widget=DateInput())
    end = forms.DateField(widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError("The period ends before it starts.")
            if (end - start).days >= census.MAX_DAYS:
                raise forms.ValidationError("Choose a period of at most three years.")
            if start.year < 2000 or end.year > 2100:
                raise forms.ValidationError("Choose dates between 2000 and 2100.")
        return data


def _row(name, m: census.Utilisation):
    return [name, m.licensed_beds, m.staffed_beds, m.patient_days, m.average_census, m.occupancy_staffed,
            m.occupancy_licensed, m.admissions, m.discharges, m.transfers_in, m.transfers_out,
            m.average_length_of_stay, m.turnover, m.blocked_bed_days, m.cleaning_minutes, m.boarding_hours]


@login_required
@require_GET
def utilisation(request):
    require(access.can_see_utilisation(request.user))
    units = Department.objects.visible_to(request.user).filter(beds__isnull=False).distinct().order_by("code")
    today = timezone.localdate()
    initial = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": (today - dt.timedelta(days=1)).isoformat()}
    form = PeriodForm(request.GET or initial, units=units)
    context = {"form": form}
    if not form.is_valid():
        return render(request, "facilities/beds/utilisation.html", context, status=400)
    start, end, unit = form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["unit"]
    visible = visible_department_ids(request.user)
    if unit is not None:
        unit_ids = list(units.filter(path__startswith=unit.path).values_list("pk", flat=True))
    else:
        unit_ids = None if visible is ALL else list(units.values_list("pk", flat=True))
    yesterday = today - dt.timedelta(days=1)
    first = yesterday - dt.timedelta(days=forecast.HISTORY - 1)
    counted = None
    if (not request.GET.get("export") and start <= yesterday and end >= first
            and (yesterday - min(start, first)).days < census.MAX_DAYS):
        # the period and the forecast's history overlap: their midnight census is read once for both
        counted = census.midnight_census(start=min(start, first), end=yesterday, unit_ids=unit_ids)
    by_unit, whole = census.utilisation(start=start, end=end, unit_ids=unit_ids, counted=counted)
    names = dict(Department.objects.filter(pk__in=list(by_unit)).values_list("pk", "code"))
    rows = [(names.get(pk, pk), measure) for pk, measure in sorted(by_unit.items(), key=lambda i: str(names.get(i[0])))]
    fmt = request.GET.get("export")
    if fmt:
        table = [_row(name, m) for name, m in rows] + [_row("All", whole)]
        return export_response("utilisation", HEADERS, table, fmt, sheet="Utilisation",
                               sheet_suffix=f" {start:%Y-%m-%d}")
    labels = [row.day.strftime("%d %b") for row in whole.daily]
    chart = line_chart(labels, [
        ("Midnight census", [row.census for row in whole.daily], "line-a"),
        ("Staffed beds", [row.staffed_beds for row in whole.daily], "line-b"),  # each day's count
    ], title="Midnight census and staffed beds")
    context |= {"rows": rows, "whole": whole, "chart": chart, "start": start, "end": end, "unit": unit}
    context |= _forecast(today, unit_ids, counted)
    return render(request, "facilities/beds/utilisation.html", context)


def _forecast(today: dt.date, unit_ids, counted=None) -> dict:
    """The census of the last twelve weeks and the forecast for the next two, as a chart and a table.
    `counted`: the midnight census already read for a period that holds those twelve weeks."""
    yesterday = today - dt.timedelta(days=1)
    first = yesterday - dt.timedelta(days=forecast.HISTORY - 1)
    by_unit = counted if counted is not None else census.midnight_census(start=first, end=yesterday,
                                                                         unit_ids=unit_ids)
    history = [sum(days.get(first + dt.timedelta(days=n), 0) for days in by_unit.values())
               for n in range((yesterday - first).days + 1)]
    if unit_ids is None:
        scope = "all"
    elif len(unit_ids) == 1:
        scope = unit_ids[0]  # the fit staffing reads for the unit
    else:
        scope = "units-" + hashlib.sha1(",".join(map(str, sorted(unit_ids))).encode(),
                                        usedforsecurity=False).hexdigest()[:16]
    ahead = census_outlook.cached_forecast(scope, history, yesterday)[:forecast.HORIZON]
    shown = history[-28:]
    labels = [(yesterday - dt.timedelta(days=len(shown) - 1 - n)).strftime("%d %b") for n in range(len(shown))]
    labels += [day.day.strftime("%d %b") for day in ahead]
    gap = [None] * len(shown)
    chart = line_chart(labels, [
        ("Midnight census", shown + [None] * len(ahead), "line-a"),
        ("Forecast", gap[:-1] + [shown[-1] if shown else None] + [day.expected for day in ahead], "line-b"),
    ], band=(gap + [day.low for day in ahead], gap + [day.high for day in ahead]),
        title="Midnight census, last four weeks, and the forecast for the next two")
    return {"forecast": ahead, "forecast_chart": chart}
