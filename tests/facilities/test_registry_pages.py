"""Registry pages: operations managers keep buildings, floors and rooms; heads keep the rooms of their own
units; everyone else is answered 404. Bad input is refused with a message and changes nothing; every change
keeps its history."""

import pytest
from django.urls import reverse

from facilities import registry_services as services
from facilities.models import Bed, Building, Floor, Room

from .equipment_fixtures import site

pytestmark = pytest.mark.django_db

OTHERS = ["board", "staff", "inspector", "technician", "scheduler_med", "finance"]


@pytest.fixture
def h(hospital):
    return site(hospital)


def signed_in(client, h, role):
    client.force_login(h.users[role])
    return client


def room_data(h, **changes):
    floor = h.ward_room.floor
    data = {"building": floor.building_id, "floor": floor.pk, "number": "4W02", "name": "Four-bed bay",
            "department": h.ward.pk, "kind": "patient", "is_active": "on"}
    data.update(changes)
    return data


# Who sees what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["building-list", "floor-list", "room-list", "building-create", "floor-create",
                                  "room-create"])
def test_an_operations_manager_opens_every_registry_page(client, h, name):
    assert signed_in(client, h, "ops").get(reverse(f"facilities:{name}")).status_code == 200


def test_the_details_show_the_building_its_floors_and_a_rooms_beds(client, h):
    Bed.objects.create(room=h.ward_room, unit=h.ward, label="A")
    client = signed_in(client, h, "ops")
    page = client.get(reverse("facilities:building-detail", args=[h.building.pk])).content.decode()
    assert "Main Hospital" in page and "Level 1" in page
    page = client.get(reverse("facilities:floor-detail", args=[h.ward_room.floor_id])).content.decode()
    assert "4W01" in page and "OR1" in page
    page = client.get(reverse("facilities:room-detail", args=[h.ward_room.pk])).content.decode()
    assert "MED-4W" in page and ">A</a>" in page


def test_a_head_sees_only_the_rooms_of_their_units(client, h):
    client = signed_in(client, h, "head_med")
    page = client.get(reverse("facilities:room-list")).content.decode()
    assert "4W01" in page and "OR1" not in page
    assert client.get(reverse("facilities:room-detail", args=[h.ward_room.pk])).status_code == 200
    assert client.get(reverse("facilities:room-detail", args=[h.theatre_room.pk])).status_code == 404
    assert client.get(reverse("facilities:room-edit", args=[h.theatre_room.pk])).status_code == 404


@pytest.mark.parametrize("name", ["building-list", "floor-list", "building-create", "floor-create"])
def test_a_head_does_not_keep_the_map(client, h, name):
    assert signed_in(client, h, "head_med").get(reverse(f"facilities:{name}")).status_code == 404


def test_a_head_does_not_open_a_building_or_floor(client, h):
    client = signed_in(client, h, "head_med")
    assert client.get(reverse("facilities:building-detail", args=[h.building.pk])).status_code == 404
    assert client.get(reverse("facilities:floor-edit", args=[h.ward_room.floor_id])).status_code == 404


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_404_everywhere(client, h, role):
    client = signed_in(client, h, role)
    for name in ("building-list", "floor-list", "room-list", "room-create"):
        assert client.get(reverse(f"facilities:{name}")).status_code == 404
    for name, pk in (("building-detail", h.building.pk), ("room-detail", h.ward_room.pk),
                     ("room-edit", h.ward_room.pk)):
        assert client.get(reverse(f"facilities:{name}", args=[pk])).status_code == 404
    assert client.get(reverse("facilities:room-export", args=["csv"])).status_code == 404
    assert client.post(reverse("facilities:room-create"), room_data(h)).status_code == 404
    assert Room.objects.count() == 2


def test_the_room_list_filters_and_exports(client, h):
    client = signed_in(client, h, "ops")
    page = client.get(reverse("facilities:room-list"), {"department": h.theatre.pk}).content.decode()
    assert "OR1" in page and "4W01" not in page
    csv = b"".join(client.get(reverse("facilities:room-export", args=["csv"]), {"q": "4W"}).streaming_content)
    assert b"4W01" in csv and b"OR1" not in csv
    xlsx = client.get(reverse("facilities:room-export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    assert client.get(reverse("facilities:room-export", args=["pdf"])).status_code == 400


def test_the_building_and_floor_lists_export(client, h):
    client = signed_in(client, h, "ops")
    csv = b"".join(client.get(reverse("facilities:building-export", args=["csv"])).streaming_content)
    assert b"MAIN,Main Hospital" in csv
    csv = b"".join(client.get(reverse("facilities:floor-export", args=["csv"])).streaming_content)
    assert b"MAIN,1" in csv


# Changes --------------------------------------------------------------------------------------------------


def test_an_operations_manager_registers_a_building_and_a_floor_with_history(client, h):
    client = signed_in(client, h, "ops")
    response = client.post(reverse("facilities:building-create"),
                           {"code": "EAST", "name": "East Wing", "address": "1 East Road", "is_active": "on"})
    east = Building.objects.get(code="EAST")
    assert response.status_code == 302 and response.url == reverse("facilities:building-detail", args=[east.pk])
    assert east.history.get().history_change_reason == "registered"
    assert east.history.get().history_user == h.users["ops"]
    response = client.post(reverse("facilities:floor-create"), {"building": east.pk, "level": "-1", "name": ""})
    assert response.status_code == 302
    assert Floor.objects.get(building=east).history.get().history_change_reason == "registered"


def test_a_head_adds_and_edits_a_room_of_their_unit(client, h):
    client = signed_in(client, h, "head_med")
    assert client.post(reverse("facilities:room-create"), room_data(h)).status_code == 302
    room = Room.objects.get(number="4W02")
    assert room.department == h.ward and room.history.get().history_change_reason == "registered"
    response = client.post(reverse("facilities:room-edit", args=[room.pk]), room_data(h, name="Side room"))
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.name == "Side room"
    assert [r.history_change_reason for r in room.history.order_by("history_date")] == ["registered", "updated"]


def test_a_head_cannot_put_a_room_in_another_department(client, h):
    response = signed_in(client, h, "head_med").post(reverse("facilities:room-create"),
                                                     room_data(h, department=h.theatre.pk))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Room.objects.filter(number="4W02").exists()


@pytest.mark.parametrize(("changes", "message"), [
    ({"number": "4W01"}, "already has a room with this number"),
    ({"number": "X" * 30}, "at most 20 characters"),
    ({"name": "x" * 500}, "at most 120 characters"),
    ({"number": "bad number!"}, ""),
    ({"kind": "spaceship"}, "Select a valid choice"),
    ({"floor": ""}, "This field is required"),
])
def test_bad_room_input_is_refused_and_saves_nothing(client, h, changes, message):
    response = signed_in(client, h, "ops").post(reverse("facilities:room-create"), room_data(h, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Room.objects.count() == 2


def test_a_floor_of_another_building_is_refused(client, h):
    other = Building.objects.create(code="EAST", name="East Wing")
    response = signed_in(client, h, "ops").post(reverse("facilities:room-create"), room_data(h, building=other.pk))
    assert response.status_code == 400
    assert "is not in building EAST" in response.content.decode()
    assert Room.objects.count() == 2


@pytest.mark.parametrize(("data", "message"), [
    ({"code": "MAIN", "name": "Second main"}, "Building with this Code already exists"),
    ({"code": "X" * 25, "name": "Too long"}, "at most 20 characters"),
    ({"code": "NEW", "name": "n" * 200}, "at most 120 characters"),
    ({"code": "", "name": "No code"}, "This field is required"),
])
def test_bad_building_input_is_refused_and_saves_nothing(client, h, data, message):
    response = signed_in(client, h, "ops").post(reverse("facilities:building-create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Building.objects.count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"level": "1"}, "already has a floor at this level"),
    ({"level": "500"}, "less than or equal to 200"),
    ({"level": "one"}, "Enter a whole number"),
])
def test_bad_floor_input_is_refused_and_saves_nothing(client, h, data, message):
    response = signed_in(client, h, "ops").post(reverse("facilities:floor-create"), {"building": h.building.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Floor.objects.count() == 1


def test_a_floor_with_rooms_stays_in_its_building(client, h):
    other = Building.objects.create(code="EAST", name="East Wing")
    floor = h.ward_room.floor
    response = signed_in(client, h, "ops").post(reverse("facilities:floor-edit", args=[floor.pk]),
                                                {"building": other.pk, "level": "1"})
    assert response.status_code == 400
    assert "stays in its building" in response.content.decode()
    floor.refresh_from_db()
    assert floor.building == h.building


def test_a_building_with_rooms_in_use_stays_in_use(client, h):
    response = signed_in(client, h, "ops").post(reverse("facilities:building-edit", args=[h.building.pk]),
                                                {"code": "MAIN", "name": "Main Hospital"})
    assert response.status_code == 400
    assert "2 rooms of this building are still in use" in response.content.decode()
    h.building.refresh_from_db()
    assert h.building.is_active


def test_a_room_with_beds_in_use_stays_in_use(client, h):
    Bed.objects.create(room=h.ward_room, unit=h.ward, label="A")
    response = signed_in(client, h, "head_med").post(reverse("facilities:room-edit", args=[h.ward_room.pk]),
                                                     room_data(h, number="4W01", is_active=""))
    assert response.status_code == 400
    assert "beds of this room are still in use" in response.content.decode()
    h.ward_room.refresh_from_db()
    assert h.ward_room.is_active


def test_a_room_taken_out_of_use_keeps_its_history(client, h):
    response = signed_in(client, h, "head_med").post(reverse("facilities:room-edit", args=[h.ward_room.pk]),
                                                     room_data(h, number="4W01", is_active=""))
    assert response.status_code == 302
    h.ward_room.refresh_from_db()
    assert not h.ward_room.is_active
    assert h.ward_room.history.latest().history_change_reason == "updated"


def test_the_services_refuse_a_head_outside_their_unit(h):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.save_room(actor=h.users["head_surg"], instance=h.ward_room, data={"name": "Mine now"})
    with pytest.raises(PermissionDenied):
        services.save_building(actor=h.users["head_med"], data={"code": "X", "name": "X"})
    h.ward_room.refresh_from_db()
    assert h.ward_room.name == ""
