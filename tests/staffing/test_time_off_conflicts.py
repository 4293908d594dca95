"""Refusing time off because the person is rostered: the shifts in date order with their rosters, and
the way forward (approve and remove the draft shifts, or deny), in the service, the page and the API."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from staffing import selectors, services
from staffing.models import Schedule, ShiftAssignment, TimeOff
from staffing.services import CellChange
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clash(hospital, roster):
    """Nora asks for Tue 8 – Thu 10 Dec off while rostered on a day shift of Ward 4 West on Thursday
    and a theatre-support shift of Medicine's own roster on Tuesday (both drafts)."""
    medicine_shift = ShiftTypeFactory(department=hospital.medicine, code="T", name="Theatre support")
    medicine_roster = ScheduleFactory(department=hospital.medicine, created_by=hospital.users["head_med"])
    tuesday, thursday = roster.days[1], roster.days[3]
    services.set_cells(actor=hospital.users["scheduler_med"], schedule=roster.schedule,
                       changes=[CellChange(hospital.nurse, thursday, roster.day)])
    services.set_cells(actor=hospital.users["head_med"], schedule=medicine_roster,
                       changes=[CellChange(hospital.nurse, tuesday, medicine_shift)])
    time_off = TimeOff.objects.create(employee=hospital.nurse, start_date=tuesday, end_date=thursday,
                                      requested_by=hospital.users["head_med"])

    class Clash:
        pass

    c = Clash()
    c.time_off, c.ward_roster, c.medicine_roster = time_off, roster.schedule, medicine_roster
    c.tuesday, c.thursday = tuesday, thursday
    return c


def publish(hospital, schedule):
    schedule = services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=schedule)
    schedule = services.approve_schedule(actor=hospital.users["head_med"], schedule=schedule)
    return services.publish_schedule(actor=hospital.users["scheduler_med"], schedule=schedule)


def refusal(hospital, clash, **kwargs):
    with pytest.raises(ValidationError) as raised:
        services.decide_time_off(actor=hospital.users["ops"], time_off=clash.time_off, approve=True, **kwargs)
    return raised.value.messages


# The service


def test_it_lists_the_shifts_in_date_order(hospital, clash):
    messages = refusal(hospital, clash)
    assert messages[0] == "Nora Nightingale is rostered on those days:"
    assert messages[1].startswith("Tue 8 Dec 2026: T · Theatre support on MED 7 Dec 2026")
    assert messages[2].startswith("Thu 10 Dec 2026: D · Day on MED-4W 7 Dec 2026")
    assert "(draft)" in messages[1] and "(draft)" in messages[2]
    assert "Approve and remove these shifts from their draft rosters" in messages[-1]
    assert "or deny the request" in messages[-1]


def test_it_approves_and_takes_the_draft_shifts_off_keeping_history(hospital, clash):
    time_off = services.decide_time_off(
        actor=hospital.users["head_med"], time_off=clash.time_off, approve=True, remove_draft_shifts=True
    )
    assert time_off.status == TimeOff.Status.APPROVED
    assert not ShiftAssignment.objects.filter(employee=hospital.nurse).exists()
    removed = ShiftAssignment.history.filter(employee_id=hospital.nurse.pk, history_type="-")
    assert sorted(removed.values_list("date", flat=True)) == [clash.tuesday, clash.thursday]
    assert {h.history_change_reason for h in removed} == {f"removed: time off {time_off.pk} approved"}
    assert {h.history_user for h in removed} == {hospital.users["head_med"]}
    assert time_off.history.latest().history_change_reason == "approved; 2 draft shift(s) removed"


def test_it_leaves_the_cell_open_for_cover(hospital, roster, clash):
    RequirementFactory(shift_type=roster.day, department=roster.ward, weekday=clash.thursday.weekday())
    services.decide_time_off(
        actor=hospital.users["head_med"], time_off=clash.time_off, approve=True, remove_draft_shifts=True
    )
    line = next(
        line for line in selectors.schedule_checks(roster.schedule).coverage
        if line.date == clash.thursday and line.shift_type_id == roster.day.pk
    )
    assert (line.required, line.assigned, line.gap) == (1, 0, 1)


def test_it_approves_with_removal_when_nothing_clashes(hospital, roster):
    time_off = TimeOff.objects.create(employee=hospital.nurse, start_date=roster.days[5], end_date=roster.days[5],
                                      requested_by=hospital.users["head_med"])
    time_off = services.decide_time_off(
        actor=hospital.users["head_med"], time_off=time_off, approve=True, remove_draft_shifts=True
    )
    assert time_off.status == TimeOff.Status.APPROVED
    assert time_off.history.latest().history_change_reason == "approved"


def test_it_removes_nothing_while_a_shift_is_on_a_submitted_roster(hospital, clash):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=clash.ward_roster)
    messages = refusal(hospital, clash, remove_draft_shifts=True)
    assert "(submitted)" in messages[2]
    assert "The roster awaits approval: have it rejected back to draft, then remove the shift." in messages[2]
    assert "not removed with an approval" in messages[-1]
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.REQUESTED


def test_it_says_to_publish_and_revise_an_approved_roster(hospital, clash):
    services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=clash.ward_roster)
    services.approve_schedule(actor=hospital.users["ops"], schedule=clash.ward_roster)
    messages = refusal(hospital, clash, remove_draft_shifts=True)
    assert "publish it, start a revision and remove the shift there" in messages[2]


def test_it_says_to_revise_a_published_roster(hospital, clash):
    publish(hospital, clash.ward_roster)
    messages = refusal(hospital, clash, remove_draft_shifts=True)
    assert "(published)" in messages[2]
    assert "start a revision, remove the shift there" in messages[2]
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_it_keeps_a_shift_staff_still_see_during_a_revision(hospital, clash):
    schedule = publish(hospital, clash.ward_roster)
    services.start_revision(actor=hospital.users["scheduler_med"], schedule=schedule, reason="Cover")
    messages = refusal(hospital, clash, remove_draft_shifts=True)
    assert "(draft)" in messages[2]
    assert "Staff still see this shift on the published roster" in messages[2]
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_a_scheduler_cannot_approve_with_removal(hospital, clash):
    with pytest.raises(PermissionDenied):
        services.decide_time_off(
            actor=hospital.users["scheduler_med"], time_off=clash.time_off, approve=True, remove_draft_shifts=True
        )
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_the_head_of_another_department_cannot_approve_with_removal(hospital, clash):
    with pytest.raises(PermissionDenied):
        services.decide_time_off(
            actor=hospital.users["head_surg"], time_off=clash.time_off, approve=True, remove_draft_shifts=True
        )
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


# The head's decision page


def page(clash):
    return reverse("staffing:time-off-detail", args=[clash.time_off.pk])


def decide(clash):
    return reverse("staffing:time-off-decide", args=[clash.time_off.pk])


def signed_in(client, hospital, name):
    client.force_login(hospital.users[name])
    return client


def test_the_page_lists_the_shifts_with_links_to_their_rosters(client, hospital, clash):
    response = signed_in(client, hospital, "head_med").get(page(clash))
    assert response.status_code == 200
    text = response.text
    medicine_link = f'href="{clash.medicine_roster.get_absolute_url()}"'
    ward_link = f'href="{clash.ward_roster.get_absolute_url()}"'
    assert medicine_link in text and ward_link in text
    assert text.index("Tue 8 Dec 2026") < text.index("Thu 10 Dec 2026")
    assert text.index(medicine_link) < text.index(ward_link)
    assert "Approve and remove 2 shifts from draft rosters" in text
    assert 'value="deny"' in text


def test_a_refused_approval_leads_to_the_page(client, hospital, clash):
    response = signed_in(client, hospital, "head_med").post(decide(clash), {"decision": "approve"}, follow=True)
    assert response.redirect_chain[-1][0] == page(clash)
    assert "rostered on those days" in response.text
    assert "Approve and remove 2 shifts from draft rosters" in response.text
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.REQUESTED


@pytest.mark.parametrize("role", ["head_med", "ops", "admin"])
def test_a_head_or_manager_approves_and_removes_from_the_page(client, hospital, clash, role):
    response = signed_in(client, hospital, role).post(decide(clash), {"decision": "approve_remove"}, follow=True)
    assert response.status_code == 200
    assert "Time off of Nora Nightingale approved." in response.text
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.APPROVED
    assert not ShiftAssignment.objects.filter(employee=hospital.nurse).exists()


def test_the_head_denies_from_the_page(client, hospital, clash):
    signed_in(client, hospital, "head_med").post(decide(clash), {"decision": "deny", "note": "Short-staffed"})
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.DENIED
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_the_page_says_how_to_change_a_published_roster_and_offers_no_removal(client, hospital, clash):
    publish(hospital, clash.ward_roster)
    text = signed_in(client, hospital, "head_med").get(page(clash)).text
    assert "start a revision, remove the shift there" in text
    assert "Approve and remove" not in text
    assert 'value="deny"' in text


def test_a_scheduler_sees_the_shifts_but_cannot_decide(client, hospital, clash):
    client = signed_in(client, hospital, "scheduler_med")
    response = client.get(page(clash))
    assert response.status_code == 200
    assert "Thu 10 Dec 2026" in response.text
    assert 'value="approve_remove"' not in response.text
    assert client.post(decide(clash), {"decision": "approve_remove"}).status_code == 404
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


@pytest.mark.parametrize("role", ["head_surg", "staff", "board", "finance"])
def test_the_page_is_not_found_for_others(client, hospital, clash, role):
    client = signed_in(client, hospital, role)
    assert client.get(page(clash)).status_code == 404
    assert client.post(decide(clash), {"decision": "approve_remove"}).status_code == 404
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.REQUESTED


def test_the_list_links_each_request_to_its_page(client, hospital, clash):
    text = signed_in(client, hospital, "head_med").get(reverse("staffing:time-off-list")).text
    assert f'href="{page(clash)}"' in text


# The API


def api_as(hospital, name):
    client = APIClient()
    client.force_login(hospital.users[name])
    return client


def approve_url(clash):
    return reverse("staffing-api:time-off-approve", args=[clash.time_off.pk])


def shifts_url(clash):
    return reverse("staffing-api:time-off-rostered-shifts", args=[clash.time_off.pk])


def test_the_api_refusal_lists_the_shifts_and_their_rosters(hospital, clash):
    response = api_as(hospital, "head_med").post(approve_url(clash), {}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["non_field_errors"][0] == "Nora Nightingale is rostered on those days:"
    shifts = body["rostered_shifts"]
    assert [(s["date"], s["shift_code"], s["schedule_id"]) for s in shifts] == [
        (str(clash.tuesday), "T", clash.medicine_roster.pk),
        (str(clash.thursday), "D", clash.ward_roster.pk),
    ]
    assert shifts[1]["schedule"].endswith(reverse("staffing-api:schedule-detail", args=[clash.ward_roster.pk]))
    assert shifts[1]["schedule_page"].endswith(clash.ward_roster.get_absolute_url())
    assert [s["removable"] for s in shifts] == [True, True]
    assert TimeOff.objects.get(pk=clash.time_off.pk).status == TimeOff.Status.REQUESTED


@pytest.mark.parametrize("role", ["head_med", "ops"])
def test_the_api_approves_and_removes_the_draft_shifts(hospital, clash, role):
    response = api_as(hospital, role).post(approve_url(clash), {"remove_draft_shifts": True}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert not ShiftAssignment.objects.filter(employee=hospital.nurse).exists()


def test_the_api_says_which_shifts_wait_for_a_revision(hospital, clash):
    publish(hospital, clash.ward_roster)
    response = api_as(hospital, "head_med").post(approve_url(clash), {"remove_draft_shifts": True}, format="json")
    assert response.status_code == 400
    ward = response.json()["rostered_shifts"][1]
    assert (ward["schedule_status"], ward["removable"]) == (Schedule.Status.PUBLISHED, False)
    assert "start a revision" in ward["how_to_remove"]
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_the_api_lists_the_shifts_before_deciding(hospital, clash):
    response = api_as(hospital, "scheduler_med").get(shifts_url(clash))
    assert response.status_code == 200
    assert [s["date"] for s in response.json()] == [str(clash.tuesday), str(clash.thursday)]


def test_the_api_refuses_a_scheduler_approving_with_removal(hospital, clash):
    response = api_as(hospital, "scheduler_med").post(approve_url(clash), {"remove_draft_shifts": True},
                                                       format="json")
    assert response.status_code == 403
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_the_api_hides_the_request_from_another_departments_head(hospital, clash):
    client = api_as(hospital, "head_surg")
    assert client.get(shifts_url(clash)).status_code == 404
    assert client.post(approve_url(clash), {"remove_draft_shifts": True}, format="json").status_code == 404
    assert ShiftAssignment.objects.filter(employee=hospital.nurse).count() == 2


def test_the_api_shows_staff_no_draft_shifts_of_their_own_request(hospital, roster):
    time_off = TimeOff.objects.create(employee=hospital.staff_employee, start_date=roster.days[2],
                                      end_date=roster.days[2], requested_by=hospital.users["staff"])
    url = reverse("staffing-api:time-off-rostered-shifts", args=[time_off.pk])
    assert api_as(hospital, "staff").get(url).status_code == 404


def test_the_shift_list_is_in_date_then_start_order(hospital, roster, clash):
    shifts = selectors.rostered_shifts(clash.time_off)
    assert [s.date for s in shifts] == sorted(s.date for s in shifts)
    assert all(isinstance(s.date, dt.date) for s in shifts)
