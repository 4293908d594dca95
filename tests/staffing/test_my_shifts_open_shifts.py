"""My shifts checks every open shift of the person's unit against the rules in one load: the page costs
the same queries for 1 open shift as for 50 (at most 15, as for one row of everything it lists and for
many), shows every one the person may take (a page at a time) and none they may not, however far down
the list."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from staffing import cover_services as cover
from staffing import services
from staffing.models import OpenShift, PublishedShift, ShiftAssignment, SwapRequest, TimeOff
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    SkillFactory,
    make_user,
)
from tests.staffing.factories import ScheduleFactory, hospital_rules
from tests.staffing.test_cover_pages import client_for, publish, ward  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


def open_shift(roster, day, shift_type, schedule=None):
    return OpenShift.objects.create(schedule=schedule or roster.schedule, shift_type=shift_type, date=day,
                                    posted_by=roster.scheduler)


def fifty(roster):
    """50 open shifts on two rosters of the unit: days and nights from day 4 of this one, and the next."""
    nxt = ScheduleFactory(department=roster.ward, start_date=roster.days[-1] + dt.timedelta(days=1),
                          created_by=roster.scheduler)
    made = [open_shift(roster, day, shift) for day in roster.days[4:24] for shift in (roster.day, roster.night)]
    made += [open_shift(roster, day, roster.day, nxt) for day in nxt.days[:10]]
    return made


def page(client, number=1):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staffing:my-shifts"), {"page": number})
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def claim_links(html, shifts):
    return {s.pk for s in shifts if reverse("staffing:open-shift-claim", args=[s.pk]) in html}


def test_the_page_costs_the_same_for_one_open_shift_as_for_fifty(ward):  # noqa: F811
    client = client_for(ward.nora)
    page(client)  # the first request of a session warms caches
    one = [open_shift(ward, ward.days[10], ward.day)]
    html, few = page(client)
    assert claim_links(html, one) == {one[0].pk}
    OpenShift.objects.all().delete()
    many = fifty(ward)
    html, lots = page(client)
    assert len(claim_links(html, many)) == 20  # the first page
    assert few == lots, (few, lots)
    assert lots <= MAX_QUERIES


def test_every_open_shift_i_may_take_is_shown_a_page_at_a_time_and_none_other(ward, hospital):  # noqa: F811
    many = fifty(ward)
    # Late in the list (past the first ten): a day off and a clash with my own shift.
    TimeOff.objects.create(employee=hospital.nurse, start_date=ward.days[20], end_date=ward.days[20],
                           status=TimeOff.Status.APPROVED, requested_by=hospital.users["admin"])
    ShiftAssignment.objects.create(schedule=ward.schedule, employee=hospital.nurse, shift_type=ward.late,
                                   date=ward.days[22])
    refused = {s.pk for s in many if s.date in (ward.days[20], ward.days[22])}
    # A night on day 21 would be followed by my late shift on day 22: refused too; so would a day
    # or night the day after my late (rest is not set, but a night may not be followed by a late).
    refused |= {s.pk for s in many if s.date == ward.days[21] and s.shift_type == ward.night}
    client = client_for(ward.nora)
    seen = set()
    for number in (1, 2, 3):
        html, _count = page(client, number)
        seen |= claim_links(html, many)
    assert seen == {s.pk for s in many} - refused
    for shift in many:  # the page agrees with the check a claim makes
        assert (shift.pk in seen) == (not cover.refusals(shift.schedule, hospital.nurse,
                                                         add=[(shift.date, shift.shift_type_id)]))


def test_someone_on_another_unit_sees_none_of_them(ward, hospital):  # noqa: F811
    many = fifty(ward)
    sam = make_user(username="sam", employee=hospital.surgeon)
    html, _count = page(client_for(sam))
    assert claim_links(html, many) == set()


def published_shift(roster, employee, day, shift_type):
    """A shift on the published roster, as the person and the rule check see it."""
    cell = ShiftAssignment.objects.create(schedule=roster.schedule, employee=employee, shift_type=shift_type,
                                          date=day)
    PublishedShift.objects.create(schedule=roster.schedule, employee=employee, shift_type=shift_type, date=day,
                                  starts_at=cell.starts_at, ends_at=cell.ends_at)
    return cell


def rows_of_every_kind(roster, hospital, days):
    """For each day: a shift of mine, an open late shift, a claim of mine, a colleague with a shift I could
    take in return and another they offer me, and (every other day) one of mine on offer to anyone."""
    nurse = hospital.nurse
    for n, day in enumerate(days):
        mine = published_shift(roster, nurse, day, roster.day)
        OpenShift.objects.create(schedule=roster.schedule, shift_type=roster.late, date=day + dt.timedelta(days=12),
                                 posted_by=roster.scheduler)
        OpenShift.objects.create(schedule=roster.schedule, shift_type=roster.day, date=day + dt.timedelta(days=12),
                                 posted_by=roster.scheduler, status=OpenShift.Status.CLAIMED, claimed_by=nurse,
                                 claimed_at=timezone.now())
        colleague = EmployeeFactory(department=roster.ward)
        published_shift(roster, colleague, day + dt.timedelta(days=12), roster.day)
        offered = published_shift(roster, colleague, day, roster.late)
        SwapRequest.objects.create(assignment=offered, offered_by=colleague, offered_to=nurse)
        if n % 2:
            SwapRequest.objects.create(assignment=mine, offered_by=nurse)


def test_the_whole_page_costs_the_same_for_one_row_of_everything_as_for_many(ward, hospital):  # noqa: F811
    hospital_rules(min_rest_hours=11)  # the rule book has a row to read
    acls = SkillFactory(name="ACLS")  # a shift needing a skill with a credential of its own
    acls.required_credentials.add(CredentialTypeFactory(code="ACLS-C", name="ACLS certification"))
    ward.night.required_skill = acls
    ward.night.save()
    EmployeeSkillFactory(employee=hospital.nurse, skill=acls)
    CredentialFactory(employee=hospital.nurse, credential_type=acls.required_credentials.get())
    publish(ward, hospital)
    services.renew_calendar_feed(actor=ward.nora, employee=hospital.nurse)
    client = client_for(ward.nora)
    page(client)  # the first request of a session warms caches

    rows_of_every_kind(ward, hospital, ward.days[3:4])
    html, few = page(client)
    rows_of_every_kind(ward, hospital, ward.days[4:15])
    html, lots = page(client)

    assert html.count('data-label="Unit"') == 3 + 12  # my shifts: the first three days and one a day since
    assert len(claim_links(html, OpenShift.objects.filter(status=OpenShift.Status.OPEN))) == 12
    assert html.split("My claims awaiting the head")[1].count("<li>") == 12
    assert html.count("Accept</button>") == 12
    in_return = html.split('name="in_return"')[1].split("</select>")[0]
    assert in_return.count("<option") == 1  # a plain offer; a colleague's shifts come when one is picked
    assert html.split('name="offered_to"')[1].split("</select>")[0].count("<option") == 1 + 1 + 12  # anyone, Stacy
    assert few == lots, (few, lots)
    assert lots <= MAX_QUERIES


def returns_of(client, colleague):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("staffing:swap-returns"), {"offered_to": colleague.pk})
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


def test_a_colleagues_shifts_in_return_cost_the_same_for_one_as_for_many(ward, hospital):  # noqa: F811
    hospital_rules(min_rest_hours=11)
    publish(ward, hospital)
    client = client_for(ward.nora)
    page(client)  # the first request of a session warms caches
    one, many = EmployeeFactory(department=ward.ward), EmployeeFactory(department=ward.ward)
    first = published_shift(ward, one, ward.days[15], ward.day)
    html, few = returns_of(client, one)
    assert f'value="{first.pk}"' in html and html.count("<option") == 1 + 1

    # Many: a day on each of days 3-24; the ones after my own day shifts are refused (rest), as is a
    # night before my day; a shift of theirs on offer is not a choice either.
    shifts = [published_shift(ward, many, day, ward.day) for day in ward.days[3:24]]
    night = published_shift(ward, many, ward.days[-2], ward.night)
    on_offer = published_shift(ward, many, ward.days[24], ward.late)
    SwapRequest.objects.create(assignment=on_offer, offered_by=many)
    published_shift(ward, hospital.nurse, ward.days[10], ward.late)  # my late: their day on day 11 breaks rest
    allowed = {s.pk for s in [*shifts, night, on_offer]
               if s != on_offer and not cover.refusals(s.schedule, hospital.nurse, add=[(s.date, s.shift_type_id)],
                                                       remove=[s.date])}
    assert 0 < len(allowed) < len(shifts) + 1  # the rule check refuses some of them
    html, lots = returns_of(client, many)
    assert {s.pk for s in [*shifts, night, on_offer] if f'value="{s.pk}"' in html} == allowed
    assert html.count("<option") == 1 + len(allowed)
    assert few == lots, (few, lots)
    assert lots <= MAX_QUERIES
