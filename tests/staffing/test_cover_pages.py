"""Open shifts and swaps in pages: staff see open shifts they may take on My shifts, claim them, offer one
of their published shifts to a colleague or anyone eligible and accept an offer; heads approve or refuse
on the claims-and-swaps page. Another unit's rows are a 404 and bad input changes nothing."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from staffing import cover_services as cover
from staffing import services
from staffing.models import OpenShift, PublishedShift, ShiftAssignment, SwapRequest
from staffing.views import cover as cover_views
from tests.records.factories import EmployeeFactory, make_user

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ward(roster, hospital, monkeypatch):
    monkeypatch.setattr(cover_views, "_today", lambda: roster.monday - dt.timedelta(days=1))
    for n in range(3):
        ShiftAssignment.objects.create(schedule=roster.schedule, employee=hospital.nurse, shift_type=roster.day,
                                       date=roster.days[n])
    roster.nora = make_user(username="nora", employee=hospital.nurse)
    roster.stacy = hospital.users["staff"]
    roster.scheduler = hospital.users["scheduler_med"]
    return roster


def publish(roster, hospital):
    services.submit_schedule(actor=roster.scheduler, schedule=roster.schedule)
    services.approve_schedule(actor=hospital.users["head_med"], schedule=roster.schedule)
    services.publish_schedule(actor=roster.scheduler, schedule=roster.schedule)


def post(roster, day, shift_type=None):
    return cover.post_open_shift(actor=roster.scheduler, schedule=roster.schedule,
                                 shift_type=shift_type or roster.night, day=day)


def test_my_shifts_lists_the_open_shifts_i_may_take_and_not_the_others(ward, hospital):
    free = post(ward, ward.days[10])
    clash = post(ward, ward.days[1], ward.late)  # Nora already works that day
    page = client_for(ward.nora).get(reverse("staffing:my-shifts"))
    assert page.status_code == 200
    assert reverse("staffing:open-shift-claim", args=[free.pk]).encode() in page.content
    assert reverse("staffing:open-shift-claim", args=[clash.pk]).encode() not in page.content


def test_staff_claim_an_open_shift_and_see_the_claim_pending(ward, hospital):
    shift = post(ward, ward.days[10])
    client = client_for(ward.nora)
    response = client.post(reverse("staffing:open-shift-claim", args=[shift.pk]))
    assert response.status_code == 302
    shift.refresh_from_db()
    assert shift.status == OpenShift.Status.CLAIMED and shift.claimed_by == hospital.nurse
    page = client.get(reverse("staffing:my-shifts")).content.decode()
    assert "My claims awaiting the head" in page
    # a second claim is told it is taken, and changes nothing
    client_for(ward.stacy).post(reverse("staffing:open-shift-claim", args=[shift.pk]), follow=True)
    shift.refresh_from_db()
    assert shift.claimed_by == hospital.nurse


def test_an_open_shift_of_another_unit_is_a_404_to_claim(ward, hospital):
    shift = post(ward, ward.days[10])
    sam = make_user(username="sam", employee=hospital.surgeon)
    assert client_for(sam).post(reverse("staffing:open-shift-claim", args=[shift.pk])).status_code == 404
    assert client_for(sam).post(reverse("staffing:open-shift-claim", args=[999999])).status_code == 404
    shift.refresh_from_db()
    assert shift.status == OpenShift.Status.OPEN


def test_the_head_approves_a_claim_and_the_cell_is_written(ward, hospital):
    shift = post(ward, ward.days[10])
    cover.claim_open_shift(actor=ward.nora, open_shift=shift, employee=hospital.nurse)
    page = client_for(hospital.users["head_med"]).get(reverse("staffing:cover-decisions"))
    assert page.status_code == 200 and b"Nightingale" in page.content
    url = reverse("staffing:cover-decide", args=["claims", shift.pk, "approve"])
    assert client_for(hospital.users["head_surg"]).post(url).status_code == 404
    assert b"Nightingale" not in client_for(hospital.users["head_surg"]).get(
        reverse("staffing:cover-decisions")).content
    assert client_for(hospital.users["head_med"]).post(url).status_code == 302
    shift.refresh_from_db()
    assert shift.status == OpenShift.Status.FILLED
    assert ShiftAssignment.objects.filter(employee=hospital.nurse, date=ward.days[10], shift_type=ward.night).exists()


def test_the_head_refuses_a_claim_and_the_shift_reopens(ward, hospital):
    shift = post(ward, ward.days[10])
    cover.claim_open_shift(actor=ward.nora, open_shift=shift, employee=hospital.nurse)
    client_for(hospital.users["head_med"]).post(reverse("staffing:cover-decide", args=["claims", shift.pk, "refuse"]))
    shift.refresh_from_db()
    assert shift.status == OpenShift.Status.OPEN and shift.claimed_by is None


def test_staff_without_a_head_role_cannot_see_the_decisions_page(ward, hospital):
    assert client_for(ward.stacy).get(reverse("staffing:cover-decisions")).status_code == 404
    assert client_for(ward.stacy).post(reverse("staffing:cover-decide", args=["claims", 1, "approve"])).status_code \
        == 404
    assert client_for(hospital.users["head_med"]).post(
        reverse("staffing:cover-decide", args=["claims", 1, "maybe"])).status_code == 404


def test_a_swap_offered_to_a_named_colleague_is_accepted_and_approved(ward, hospital):
    publish(ward, hospital)
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=ward.days[0])
    nora = client_for(ward.nora)
    page = nora.get(reverse("staffing:my-shifts")).content.decode()
    assert f'value="{monday.pk}"' in page and "Anyone eligible" in page
    nora.post(reverse("staffing:swap-offer"), {"assignment": monday.pk, "offered_to": hospital.staff_employee.pk,
                                               "note": "Family event"})
    swap = SwapRequest.objects.get()
    assert swap.offered_to == hospital.staff_employee and swap.status == SwapRequest.Status.OFFERED

    stacy = client_for(ward.stacy)
    assert reverse("staffing:swap-accept", args=[swap.pk]).encode() in stacy.get(reverse("staffing:my-shifts")).content
    assert stacy.post(reverse("staffing:swap-accept", args=[swap.pk])).status_code == 302
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.ACCEPTED and swap.taken_by == hospital.staff_employee

    head = client_for(hospital.users["head_med"])
    assert b"Staff" in head.get(reverse("staffing:cover-decisions")).content
    assert client_for(hospital.users["head_surg"]).post(
        reverse("staffing:cover-decide", args=["swaps", swap.pk, "approve"])).status_code == 404
    head.post(reverse("staffing:cover-decide", args=["swaps", swap.pk, "approve"]))
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.APPROVED
    assert PublishedShift.objects.get(date=ward.days[0]).employee == hospital.staff_employee


def test_an_offer_to_a_named_colleague_is_a_404_for_anyone_else(ward, hospital):
    publish(ward, hospital)
    other = EmployeeFactory(department=ward.ward)
    olga = make_user(username="olga", employee=other)
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=ward.days[0])
    swap = cover.offer_swap(actor=ward.nora, assignment=monday, to=hospital.staff_employee)
    sam = make_user(username="sam", employee=hospital.surgeon)
    for user in (olga, sam, ward.nora):
        assert client_for(user).post(reverse("staffing:swap-accept", args=[swap.pk])).status_code == 404
    swap.refresh_from_db()
    assert swap.status == SwapRequest.Status.OFFERED


def test_an_offer_to_anyone_is_open_to_the_unit_and_not_to_another(ward, hospital):
    publish(ward, hospital)
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=ward.days[0])
    client_for(ward.nora).post(reverse("staffing:swap-offer"), {"assignment": monday.pk, "offered_to": ""})
    swap = SwapRequest.objects.get()
    assert swap.offered_to is None
    sam = make_user(username="sam", employee=hospital.surgeon)
    assert client_for(sam).post(reverse("staffing:swap-accept", args=[swap.pk])).status_code == 404
    assert client_for(ward.stacy).post(reverse("staffing:swap-accept", args=[swap.pk])).status_code == 302
    swap.refresh_from_db()
    assert swap.taken_by == hospital.staff_employee


def test_it_refuses_to_offer_someone_elses_shift_a_draft_or_a_long_note(ward, hospital):
    monday = ShiftAssignment.objects.get(employee=hospital.nurse, date=ward.days[0])
    stacy = client_for(ward.stacy)
    stacy.post(reverse("staffing:swap-offer"), {"assignment": monday.pk})  # not hers
    nora = client_for(ward.nora)
    nora.post(reverse("staffing:swap-offer"), {"assignment": monday.pk})  # a draft roster
    publish(ward, hospital)
    nora.post(reverse("staffing:swap-offer"), {"assignment": monday.pk, "note": "x" * 5000})
    nora.post(reverse("staffing:swap-offer"), {"assignment": "abc"})
    nora.post(reverse("staffing:swap-offer"), {"assignment": monday.pk, "offered_to": hospital.surgeon.pk})
    assert not SwapRequest.objects.exists()


def test_people_without_an_employee_record_get_404_on_staff_actions(ward, hospital):
    shift = post(ward, ward.days[10])
    head = client_for(hospital.users["head_med"])
    assert head.post(reverse("staffing:open-shift-claim", args=[shift.pk])).status_code == 404
    assert head.post(reverse("staffing:swap-offer"), {}).status_code == 404


@pytest.mark.parametrize("count", [1, 8])
def test_the_decisions_page_costs_the_same_queries_for_any_number(ward, hospital, count,
                                                                   django_assert_max_num_queries):
    for n in range(count):
        person = EmployeeFactory(department=ward.ward)
        user = make_user(username=f"p{n}", employee=person)
        cover.claim_open_shift(actor=user, open_shift=post(ward, ward.days[10 + n]), employee=person)
    head = client_for(hospital.users["head_med"])
    with django_assert_max_num_queries(12):
        page = head.get(reverse("staffing:cover-decisions"))
    assert page.content.count(b"Approve</button>") == count
