"""Inspection templates, their checklist items and schedules: kept by inspectors and hospital-wide roles,
404 for everyone else; items grouped by area in position order; an answered item leaves use instead of
being deleted; bad input changes nothing; every change keeps its history."""

import datetime as dt

import pytest
from django.urls import reverse

from facilities import inspection_services as services
from facilities.models import Area, Inspection, InspectionSchedule, InspectionTemplate, TemplateItem

from .equipment_fixtures import site
from .inspection_fixtures import inspection, template

pytestmark = pytest.mark.django_db

KEEPERS = ["ops", "inspector"]
OTHERS = ["head_med", "head_surg", "scheduler_med", "board", "staff", "technician", "finance"]


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


def schedule_data(rounds, **changes):
    data = {"template": rounds.pk, "building": "", "department": "", "every_months": "1", "starts_on": "2026-03-02",
            "is_active": "on"}
    data.update(changes)
    return data


def item_data(**changes):
    data = {"area": Area.FIRE_LIFE_SAFETY, "position": "", "text": "Fire doors close and latch",
            "regulation_reference": "NFPA 101 8.3.3", "guidance": "Release each door from 45 degrees.",
            "is_active": "on"}
    data.update(changes)
    return data


# Who sees what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", KEEPERS)
def test_keepers_open_every_page(client, h, role):
    rounds = template()
    schedule = InspectionSchedule.objects.create(template=rounds, department=h.ward, starts_on=dt.date(2026, 1, 1))
    client = signed_in(client, h, role)
    for url in (reverse("facilities:inspection-template-list"), reverse("facilities:inspection-template-create"),
                reverse("facilities:inspection-template-detail", args=[rounds.pk]),
                reverse("facilities:inspection-template-edit", args=[rounds.pk]),
                reverse("facilities:template-item-create", args=[rounds.pk]),
                reverse("facilities:template-item-edit", args=[rounds.items.first().pk]),
                reverse("facilities:inspection-schedule-list"), reverse("facilities:inspection-schedule-create"),
                reverse("facilities:inspection-schedule-detail", args=[schedule.pk]),
                reverse("facilities:inspection-schedule-edit", args=[schedule.pk])):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_gets_404_and_changes_nothing(client, h, role):
    rounds = template()
    item = rounds.items.first()
    schedule = InspectionSchedule.objects.create(template=rounds, department=h.ward, starts_on=dt.date(2026, 1, 1))
    client = signed_in(client, h, role)
    for url in (reverse("facilities:inspection-template-list"), reverse("facilities:inspection-template-create"),
                reverse("facilities:inspection-template-detail", args=[rounds.pk]),
                reverse("facilities:inspection-template-export", args=["csv"]),
                reverse("facilities:template-item-edit", args=[item.pk]),
                reverse("facilities:inspection-schedule-list"),
                reverse("facilities:inspection-schedule-detail", args=[schedule.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("facilities:inspection-template-create"), {"name": "Mine"}).status_code == 404
    assert client.post(reverse("facilities:template-item-remove", args=[item.pk])).status_code == 404
    assert client.post(reverse("facilities:inspection-schedule-edit", args=[schedule.pk]),
                       schedule_data(rounds, department=h.theatre.pk)).status_code == 404
    assert InspectionTemplate.objects.count() == 1 and TemplateItem.objects.filter(is_active=True).count() == 6
    schedule.refresh_from_db()
    assert schedule.department == h.ward


def test_the_template_page_groups_items_by_area_in_position_order(client, h):
    rounds = InspectionTemplate.objects.create(name="Fire rounds")
    TemplateItem.objects.create(template=rounds, area=Area.FIRE_LIFE_SAFETY, position=2, text="Second check")
    TemplateItem.objects.create(template=rounds, area=Area.FIRE_LIFE_SAFETY, position=1, text="First check",
                                regulation_reference="NFPA 101 7.1.10", guidance="Walk the whole corridor.")
    TemplateItem.objects.create(template=rounds, area=Area.SECURITY, position=0, text="Badge doors lock")
    page = signed_in(client, h, "inspector").get(
        reverse("facilities:inspection-template-detail", args=[rounds.pk])).content.decode()
    assert page.index("Fire and life safety") < page.index("First check") < page.index("Second check")
    assert page.index("Second check") < page.index("Security") < page.index("Badge doors lock")
    assert "NFPA 101 7.1.10" in page and "Walk the whole corridor." in page


def test_the_lists_filter_and_export(client, h):
    template(name="Ward rounds")
    template(purpose=InspectionTemplate.Purpose.FIRE_DRILL, name="Night drill")
    client = signed_in(client, h, "ops")
    page = client.get(reverse("facilities:inspection-template-list"), {"purpose": "fire_drill"}).content.decode()
    assert "Night drill" in page and "Ward rounds" not in page
    csv = b"".join(client.get(reverse("facilities:inspection-template-export", args=["csv"])).streaming_content)
    assert b"Night drill,Fire drill,6,0,yes" in csv
    csv = b"".join(client.get(reverse("facilities:inspection-schedule-export", args=["xlsx"])).streaming_content)
    assert csv[:2] == b"PK"


# Templates and items -------------------------------------------------------------------------------------


def test_an_inspector_creates_a_template_and_adds_checks_placed_last_in_their_area(client, h):
    client = signed_in(client, h, "inspector")
    response = client.post(reverse("facilities:inspection-template-create"),
                           {"name": "Generator test", "purpose": "generator_test", "is_active": "on"})
    test = InspectionTemplate.objects.get(name="Generator test")
    assert response.status_code == 302
    assert test.history.get().history_change_reason == "created"
    for text in ("Load bank at 30 %", "Transfer switch under 10 s"):
        assert client.post(reverse("facilities:template-item-create", args=[test.pk]),
                           item_data(text=text)).status_code == 302
    assert list(test.items.order_by("position").values_list("text", "position")) == [
        ("Load bank at 30 %", 0), ("Transfer switch under 10 s", 1)]
    assert test.items.first().history.get().history_user == h.users["inspector"]


def test_an_item_is_reordered_by_its_position(client, h):
    rounds = template()
    last = rounds.items.get(area=Area.SECURITY)
    response = signed_in(client, h, "ops").post(reverse("facilities:template-item-edit", args=[last.pk]),
                                                item_data(area=Area.SECURITY, position="0", text=last.text))
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.position == 0
    assert last.history.latest().history_change_reason == "updated"


@pytest.mark.parametrize(("changes", "message"), [
    ({"text": ""}, "This field is required"),
    ({"text": "x" * 400}, "at most 300 characters"),
    ({"regulation_reference": "r" * 200}, "at most 120 characters"),
    ({"guidance": "g" * 2500}, "at most 2000 characters"),
    ({"area": "weather"}, "Select a valid choice"),
    ({"position": "-1"}, "greater than or equal to 0"),
])
def test_bad_item_input_is_refused_and_saves_nothing(client, h, changes, message):
    rounds = template()
    response = signed_in(client, h, "inspector").post(reverse("facilities:template-item-create", args=[rounds.pk]),
                                                      item_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert rounds.items.count() == 6


def test_a_duplicate_template_name_is_refused(client, h):
    template()
    response = signed_in(client, h, "inspector").post(reverse("facilities:inspection-template-create"),
                                                      {"name": "Environment-of-care rounds", "purpose": "rounds"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert InspectionTemplate.objects.count() == 1


def test_an_unused_item_is_removed(client, h):
    rounds = template()
    item = rounds.items.first()
    response = signed_in(client, h, "inspector").post(reverse("facilities:template-item-remove", args=[item.pk]))
    assert response.status_code == 302
    assert not TemplateItem.objects.filter(pk=item.pk).exists()
    assert TemplateItem.history.filter(id=item.pk, history_type="-").exists()


def test_an_answered_item_leaves_use_and_later_inspections_skip_it(client, h):
    rounds = template()
    item = rounds.items.first()
    services.start_inspection(actor=h.users["inspector"], inspection=inspection(h, template_=rounds))
    response = signed_in(client, h, "inspector").post(reverse("facilities:template-item-remove", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active and item.history.latest().history_change_reason == "taken out of use"
    later = services.start_inspection(actor=h.users["inspector"],
                                      inspection=inspection(h, template_=rounds, due_on=dt.date(2026, 4, 1)))
    assert later.results.count() == 5 and not later.results.filter(item=item).exists()


def test_a_template_with_active_schedules_stays_in_use(client, h):
    rounds = template()
    InspectionSchedule.objects.create(template=rounds, department=h.ward, starts_on=dt.date(2026, 1, 1))
    response = signed_in(client, h, "ops").post(reverse("facilities:inspection-template-edit", args=[rounds.pk]),
                                                {"name": rounds.name, "purpose": "rounds"})
    assert response.status_code == 400
    assert "1 active schedules use this template" in response.content.decode()
    rounds.refresh_from_db()
    assert rounds.is_active


# Schedules ------------------------------------------------------------------------------------------------


def test_an_inspector_schedules_quarterly_drills_per_shift_for_a_building(client, h):
    drill = template(purpose=InspectionTemplate.Purpose.FIRE_DRILL, name="Fire drill")
    response = signed_in(client, h, "inspector").post(
        reverse("facilities:inspection-schedule-create"),
        schedule_data(drill, building=h.building.pk, every_months="3", per_shift="on"))
    assert response.status_code == 302
    schedule = InspectionSchedule.objects.get()
    assert (schedule.building, schedule.every_months, schedule.per_shift) == (h.building, 3, True)
    assert schedule.history.get().history_change_reason == "scheduled"
    assert services.generate_scheduled_inspections(day=dt.date(2026, 3, 2)) == 3


def test_a_schedule_is_changed_and_its_history_kept(client, h):
    rounds = template()
    schedule = services.save_schedule(actor=h.users["ops"], data={
        "template": rounds, "department": h.ward, "every_months": 1, "starts_on": dt.date(2026, 1, 1)})
    url = reverse("facilities:inspection-schedule-edit", args=[schedule.pk])
    response = signed_in(client, h, "inspector").post(url, schedule_data(rounds, department=h.ward.pk,
                                                                         every_months="6"))
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.every_months == 6
    assert [r.history_change_reason for r in schedule.history.order_by("history_date")] == ["scheduled", "updated"]


@pytest.mark.parametrize(("changes", "message"), [
    ({}, "A schedule covers one building or one unit"),
    ({"building": "BUILDING", "department": "WARD"}, "A schedule covers one building or one unit"),
    ({"department": "WARD", "every_months": "0"}, "greater than or equal to 1"),
    ({"department": "WARD", "every_months": "30"}, "less than or equal to 24"),
    ({"department": "WARD", "starts_on": "1900-01-01"}, ""),
    ({"department": "WARD", "starts_on": "not a date"}, "Enter a valid date"),
])
def test_bad_schedule_input_is_refused_and_saves_nothing(client, h, changes, message):
    rounds = template()
    changes = {k: {"BUILDING": h.building.pk, "WARD": h.ward.pk}.get(v, v) for k, v in changes.items()}
    response = signed_in(client, h, "inspector").post(reverse("facilities:inspection-schedule-create"),
                                                      schedule_data(rounds, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InspectionSchedule.objects.exists()


def test_a_template_out_of_use_cannot_be_scheduled(client, h):
    rounds = template()
    rounds.is_active = False
    rounds.save()
    response = signed_in(client, h, "inspector").post(reverse("facilities:inspection-schedule-create"),
                                                      schedule_data(rounds, department=h.ward.pk))
    assert response.status_code == 400
    assert not InspectionSchedule.objects.exists()


def test_the_daily_job_skips_schedules_of_a_template_out_of_use(h):
    rounds = template()
    InspectionSchedule.objects.create(template=rounds, building=h.building, starts_on=dt.date(2026, 1, 1))
    InspectionTemplate.objects.filter(pk=rounds.pk).update(is_active=False)
    assert services.generate_scheduled_inspections(day=dt.date(2026, 1, 5)) == 0
    assert not Inspection.objects.exists()
