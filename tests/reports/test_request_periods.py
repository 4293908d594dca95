"""The request form's period list fits the report chosen: the monthly reports offer months only,
the department activity report offers ISO weeks as well."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from reports.models import ReportRun

pytestmark = pytest.mark.django_db

MONTH = re.compile(r"^\d{4}-\d{2}$")
WEEK = re.compile(r"^\d{4}-W\d{2}$")


class PeriodSelect(HTMLParser):
    """The options and option groups of the period drop-down, and the kind drop-down's attributes."""

    def __init__(self, html):
        super().__init__()
        self.in_period, self.values, self.groups, self.kind_attrs = False, [], [], {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.in_period = attrs.get("name") == "period"
            if attrs.get("name") == "kind":
                self.kind_attrs = attrs
        elif self.in_period and tag == "option":
            self.values.append(attrs["value"])
        elif self.in_period and tag == "optgroup":
            self.groups.append(attrs["label"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.in_period = False


def period_list(client, hospital, **params):
    client.force_login(hospital.users["ops"])
    response = client.get(reverse("reports:run-request"), params)
    assert response.status_code == 200
    return PeriodSelect(response.content.decode())


@pytest.mark.parametrize("params", [{}, {"kind": "board"}, {"kind": "compliance"}, {"kind": "nonsense"}])
def test_a_monthly_report_offers_months_only(client, hospital, params):
    select = period_list(client, hospital, **params)
    assert select.groups == []
    assert len(select.values) == 18
    assert all(MONTH.match(value) for value in select.values)


def test_the_activity_report_offers_weeks_and_months(client, hospital):
    select = period_list(client, hospital, kind="activity")
    assert select.groups == ["Weeks", "Months"]
    assert [bool(WEEK.match(value)) for value in select.values] == [True] * 10 + [False] * 18
    assert all(MONTH.match(value) for value in select.values[10:])


def test_choosing_another_report_reloads_the_period_list(client, hospital):
    select = period_list(client, hospital)
    assert select.kind_attrs["hx-get"] == reverse("reports:run-request")
    assert select.kind_attrs["hx-trigger"] == "change"
    assert select.kind_attrs["hx-select"] == select.kind_attrs["hx-target"] == "#period-choice"


def test_a_posted_activity_report_keeps_its_weeks_on_the_page(client, hospital):
    client.force_login(hospital.users["ops"])
    response = client.post(reverse("reports:run-request"), {"kind": "activity", "period": "", "scope": "hospital"})
    assert "Weeks" in PeriodSelect(response.content.decode()).groups


def test_a_week_is_refused_for_a_monthly_report(client, hospital):
    client.force_login(hospital.users["ops"])
    week = period_list(client, hospital, kind="activity").values[1]
    response = client.post(reverse("reports:run-request"), {"kind": "board", "period": week, "scope": "hospital"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not ReportRun.objects.exists()
