"""On My shifts a staff member offers one of their published shifts in return for a colleague's: picking
the colleague asks for that colleague's shifts the rule check allows, a posted choice is checked against
them, the pair is checked for both people, and a refused pair says why and changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from staffing.models import LabourRules, ShiftAssignment, SwapRequest, TimeOff
from staffing.views import cover as cover_views
from tests.records.factories import EmployeeFactory, make_user
from tests.staffing.factories import ScheduleFactory, ShiftTypeFactory
from tests.staffing.test_cover_pages import client_for, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(roster, hospital, monkeypatch):
    """Nora works days 0-2; Stacy a night on day 3 (Nora's day on day 2 may be followed by it, but a
    night before Nora's day 2 could not: Stacy's night on day 1 is refused to Nora) and a day on day 20."""
    monkeypatch.setattr(cover_views, "_today", lambda: roster.monday - dt.timedelta(days=1))
    LabourRules.objects.create(scope=LabourRules.Scope.HOSPITAL, min_rest_hours=11)
    for n in range(3):
        ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.day,
                                       date=roster.days[n])
    stacy = hospital.staff_employee
    roster.stacy_night = ShiftAssignment.objects.create(schedule=roster.schedule, employee=stacy,
                                                        shift_type=roster.night, date=roster.days[1])
    roster.stacy_day = ShiftAssignment.objects.create(schedule=roster.schedule, employee=stacy,
                                                      shift_type=roster.day, date=roster.days[20])
    roster.nora = make_user(username="nora", employee=hospital.nurse)
    roster.stacy = hospital.users["staff"]
    roster.scheduler = hospital.users["scheduler_med"]
    publish(roster, hospital)
    roster.monday_shift = ShiftAssignment.objects.get(employee=hospital.nurse, date=roster.days[0])
    return roster


def offer(roster, **data):
    url = reverse("staffing:swap-offer")
    return client_for(roster.nora).post(url, {"assignment": roster.monday_shift.pk, **data}, follow=True)


def returns_for(user, colleague_pk):
    return client_for(user).get(reverse("staffing:swap-returns"), {"offered_to": colleague_pk})


def test_the_choices_are_the_colleagues_shifts_the_rules_allow(ward):
    response = returns_for(ward.nora, ward.stacy_day.employee_id)
    assert response.status_code == 200
    options = response.content.decode()
    assert '<option value="">Nothing (a plain offer)</option>' in options
    assert f'value="{ward.stacy_day.pk}"' in options  # allowed: a day shift on a day Nora is free
    assert f'value="{ward.stacy_night.pk}"' not in options  # a night before Nora's day shift: no rest
    assert options.count("<option") == 2


def test_the_page_starts_with_a_plain_offer_only_and_asks_for_the_colleagues_shifts(ward):
    page = client_for(ward.nora).get(reverse("staffing:my-shifts")).content.decode()
    form = page.split('name="in_return"')[1].split("</select>")[0]
    assert form.count("<option") == 1 and "Nothing (a plain offer)" in form
    assert f'value="{ward.stacy_day.pk}"' not in form
    offer_to = next(tag for tag in page.split("<select")[1:] if 'name="offered_to"' in tag.split(">")[0])
    offer_to = offer_to.split(">")[0]
    assert f'hx-get="{reverse("staffing:swap-returns")}"' in offer_to and 'hx-target="#id_in_return"' in offer_to


def test_anyone_eligible_has_only_a_plain_offer(ward):
    response = client_for(ward.nora).get(reverse("staffing:swap-returns"), {"offered_to": ""})
    assert response.status_code == 200
    assert response.content.decode().count("<option") == 1


def test_another_units_colleague_or_an_unknown_one_is_a_404(ward, hospital):
    assert returns_for(ward.nora, hospital.surgeon.pk).status_code == 404
    assert returns_for(ward.nora, 987654).status_code == 404
    assert returns_for(ward.nora, "x").status_code == 404
    assert returns_for(ward.nora, hospital.nurse.pk).status_code == 404  # not a colleague of oneself


def test_the_choices_need_a_sign_in(ward, client):
    response = client.get(reverse("staffing:swap-returns"), {"offered_to": ward.stacy_day.employee_id})
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_offer_in_return_goes_to_the_colleague_and_shows_on_both_pages(ward, hospital):
    response = offer(ward, offered_to=hospital.staff_employee.pk, in_return=ward.stacy_day.pk, note="Swap?")
    assert "Shift offered in return" in response.content.decode()
    swap = SwapRequest.objects.get()
    assert swap.in_return == ward.stacy_day and swap.offered_to == hospital.staff_employee
    assert swap.status == SwapRequest.Status.OFFERED and swap.history.count() == 1
    stacy_page = client_for(ward.stacy).get(reverse("staffing:my-shifts")).content.decode()
    assert reverse("staffing:swap-accept", args=[swap.pk]) in stacy_page
    assert f"for {ward.day.code} {ward.days[20]:%a} {ward.days[20].day}" in stacy_page


def test_a_refused_shift_in_return_is_not_a_choice_and_changes_nothing(ward):
    response = offer(ward, offered_to=ward.stacy_night.employee_id, in_return=ward.stacy_night.pk)
    assert "must be one of the chosen colleague&#x27;s that the rules let you work" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_a_shift_in_return_needs_the_colleague_chosen(ward):
    response = offer(ward, in_return=ward.stacy_day.pk)
    assert "Choose the colleague whose shift you would work in return" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_a_pair_that_breaks_a_rule_for_the_colleague_is_refused_with_the_reason(ward, hospital):
    TimeOff.objects.create(employee=hospital.staff_employee, start_date=ward.days[0], end_date=ward.days[0],
                           status=TimeOff.Status.APPROVED, requested_by=hospital.users["admin"])
    response = offer(ward, offered_to=hospital.staff_employee.pk, in_return=ward.stacy_day.pk)
    assert "time off" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_the_shift_in_return_must_be_the_named_colleagues(ward):
    olga = EmployeeFactory(department=ward.ward, first_name="Olga", last_name="Other")
    response = offer(ward, in_return=ward.stacy_day.pk, offered_to=olga.pk)
    assert "must be one of the chosen colleague" in response.content.decode()
    assert not SwapRequest.objects.exists()


def test_another_units_shift_is_never_a_choice(ward, hospital):
    surgery_shift = ShiftTypeFactory(department=hospital.surgeon.department, code="SD")
    other = ScheduleFactory(department=hospital.surgeon.department, created_by=hospital.users["admin"],
                            start_date=ward.monday)
    theirs = ShiftAssignment.objects.create(schedule=other, employee=hospital.surgeon, shift_type=surgery_shift,
                                            date=ward.days[9])
    assert returns_for(ward.nora, hospital.surgeon.pk).status_code == 404
    response = offer(ward, offered_to=hospital.surgeon.pk, in_return=theirs.pk)
    assert "Select a valid choice" in response.content.decode()  # not a colleague to offer to
    assert not SwapRequest.objects.exists()
