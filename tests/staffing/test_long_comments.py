"""Comments and reasons of any length the forms and the API accept are kept in full on the roster, and
its history keeps a short reason that fits its column (PostgreSQL refuses more than 100 characters)."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from records.models import ApiToken
from staffing import services
from staffing.models import NOTE_MAX_LENGTH, Schedule
from tests.records.factories import make_token

pytestmark = pytest.mark.django_db

LONG = ("The night shifts in the second week are short of a registered nurse, so please check them. " * 6)[:500]


def api_as(user):
    client = APIClient()
    client.force_login(user)
    return client


def api_url(name, schedule):
    return reverse(f"staffing-api:schedule-{name}", args=[schedule.pk])


def page_url(name, schedule):
    return reverse(f"staffing:schedule-{name}", args=[schedule.pk])


def latest_reason(schedule):
    return schedule.history.order_by("-history_id").first().history_change_reason


def submitted(hospital, roster):
    return services.submit_schedule(actor=hospital.users["scheduler_med"], schedule=roster.schedule)


def published(hospital, roster):
    schedule = services.approve_schedule(actor=hospital.users["head_med"], schedule=submitted(hospital, roster))
    return services.publish_schedule(actor=hospital.users["scheduler_med"], schedule=schedule)


def test_it_keeps_a_long_submit_comment_through_the_api(hospital, roster):
    response = api_as(hospital.users["scheduler_med"]).post(
        api_url("submit", roster.schedule), {"comment": LONG}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["comment"] == LONG
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.comment) == (Schedule.Status.SUBMITTED, LONG)
    assert latest_reason(schedule).startswith("submitted: The night shifts")
    assert len(latest_reason(schedule)) <= 100


def test_it_keeps_a_long_approval_comment_through_the_api(hospital, roster):
    submitted(hospital, roster)

    response = api_as(hospital.users["head_med"]).post(
        api_url("approve", roster.schedule), {"comment": LONG}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["approval_comment"] == LONG
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.approval_comment) == (Schedule.Status.APPROVED, LONG)
    assert len(latest_reason(schedule)) <= 100


def test_it_keeps_a_long_rejection_reason_through_the_api(hospital, roster):
    submitted(hospital, roster)

    response = api_as(hospital.users["head_med"]).post(api_url("reject", roster.schedule), {"reason": LONG},
                                                       format="json")

    assert response.status_code == 200
    assert response.json()["rejection_reason"] == LONG.strip()
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.rejection_reason) == (Schedule.Status.DRAFT, LONG.strip())
    assert len(latest_reason(schedule)) <= 100


def test_it_keeps_a_long_revision_reason_through_the_api(hospital, roster):
    published(hospital, roster)

    response = api_as(hospital.users["scheduler_med"]).post(api_url("revise", roster.schedule), {"reason": LONG},
                                                            format="json")

    assert response.status_code == 200
    assert (response.json()["revision"], response.json()["revision_reason"]) == (2, LONG.strip())
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert latest_reason(schedule).startswith("revision 2: The night shifts")
    assert len(latest_reason(schedule)) <= 100


def test_it_accepts_as_much_as_it_says_and_refuses_more(hospital, roster):
    client = api_as(hospital.users["scheduler_med"])

    too_long = client.post(api_url("submit", roster.schedule), {"comment": "x" * (NOTE_MAX_LENGTH + 1)}, format="json")
    longest = client.post(api_url("submit", roster.schedule), {"comment": "x" * NOTE_MAX_LENGTH}, format="json")

    assert too_long.status_code == 400
    assert "comment" in too_long.json()
    assert longest.status_code == 200
    assert Schedule.objects.get(pk=roster.schedule.pk).comment == "x" * NOTE_MAX_LENGTH


def test_it_keeps_a_long_submit_comment_from_the_page(client, hospital, roster):
    client.force_login(hospital.users["scheduler_med"])

    response = client.post(page_url("submit", roster.schedule), {"submit-comment": LONG})

    assert response.status_code == 302
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.comment) == (Schedule.Status.SUBMITTED, LONG)


def test_it_keeps_a_long_approval_comment_from_the_page(client, hospital, roster):
    submitted(hospital, roster)
    client.force_login(hospital.users["head_med"])

    response = client.post(page_url("approve", roster.schedule), {"approve-comment": LONG})

    assert response.status_code == 302
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.approval_comment) == (Schedule.Status.APPROVED, LONG)
    assert LONG in client.get(schedule.get_absolute_url()).text


def test_it_keeps_a_long_rejection_reason_from_the_page(client, hospital, roster):
    submitted(hospital, roster)
    client.force_login(hospital.users["head_med"])

    response = client.post(page_url("reject", roster.schedule), {"reject-reason": LONG})

    assert response.status_code == 302
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.rejection_reason) == (Schedule.Status.DRAFT, LONG.strip())


def test_it_keeps_a_long_revision_reason_from_the_page(client, hospital, roster):
    published(hospital, roster)
    client.force_login(hospital.users["scheduler_med"])

    response = client.post(page_url("revise", roster.schedule), {"revise-reason": LONG})

    assert response.status_code == 302
    schedule = Schedule.objects.get(pk=roster.schedule.pk)
    assert (schedule.status, schedule.revision, schedule.revision_reason) == (Schedule.Status.DRAFT, 2, LONG.strip())
    assert LONG.strip() in client.get(schedule.get_absolute_url()).text


def test_a_page_form_takes_what_the_model_takes(client, hospital, roster):
    client.force_login(hospital.users["scheduler_med"])

    response = client.post(page_url("submit", roster.schedule), {"submit-comment": "y" * NOTE_MAX_LENGTH})

    assert response.status_code == 302
    assert Schedule.objects.get(pk=roster.schedule.pk).comment == "y" * NOTE_MAX_LENGTH


def test_any_history_reason_fits_its_column(hospital):
    token, _key = make_token(user=hospital.users["ops"], scopes={"records": "read"})
    token.revoked_at = timezone.now()
    token._change_reason = "revoked because " + "the integration was retired " * 10

    token.save()

    reason = ApiToken.history.filter(id=token.pk).order_by("-history_id").first().history_change_reason
    assert reason.startswith("revoked because the integration")
    assert len(reason) <= 100
