"""Setting a unit's staffing ratios and HPPD targets: its heads and managers do, through the pages and the API,
with history; anyone else gets 404; bad numbers are refused with a message and change nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from staffing.models import HppdTarget, StaffingRatio
from tests.staffing.factories import ShiftTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(hospital):
    return ShiftTypeFactory(department=hospital.ward, code="D", start_time=dt.time(7), duration_minutes=480,
                            paid_minutes=450)


def ratio_form(day, **changes):
    data = {"shift_type": day.pk, "skill": "", "basis": "patients", "patients_per_person": "5",
            "hours_per_patient_day": "", "share_percent": "", "minimum": "1", "effective_from": "2026-12-07",
            "effective_until": "", "under_weight": "100", "over_weight": "1"}
    return data | changes


def new_ratio_url(hospital):
    return f"/staffing/units/{hospital.ward.pk}/ratios/new/"


@pytest.mark.parametrize("role", ["head_med", "ops"])
def test_a_head_of_the_unit_or_a_manager_sets_a_ratio_with_history(client, hospital, day, role):
    client.force_login(hospital.users[role])
    response = client.post(new_ratio_url(hospital), ratio_form(day))
    assert response.status_code == 302
    saved = StaffingRatio.objects.get()
    assert (saved.department, saved.patients_per_person, saved.minimum) == (hospital.ward, Decimal("5.0"), 1)
    assert [h.history_change_reason for h in saved.history.all()] == ["created"]
    assert [h.history_user for h in saved.history.all()] == [hospital.users[role]]


@pytest.mark.parametrize("role", ["head_surg", "scheduler_med", "staff", "board", "finance"])
def test_anyone_else_gets_404_and_nothing_is_saved(client, hospital, day, role):
    client.force_login(hospital.users[role])
    assert client.get(new_ratio_url(hospital)).status_code == 404
    assert client.post(new_ratio_url(hospital), ratio_form(day)).status_code == 404
    assert not StaffingRatio.objects.exists()


def test_editing_keeps_the_history_and_clears_the_other_basis(client, hospital, day):
    client.force_login(hospital.users["head_med"])
    client.post(new_ratio_url(hospital), ratio_form(day))
    saved = StaffingRatio.objects.get()
    response = client.post(f"/staffing/ratios/{saved.pk}/edit/",
                           ratio_form(day, basis="hours", hours_per_patient_day="8", share_percent="40"))
    assert response.status_code == 302
    saved.refresh_from_db()
    assert (saved.basis, saved.patients_per_person, saved.hours_per_patient_day) == ("hours", None, Decimal("8.0"))
    assert [h.history_change_reason for h in saved.history.order_by("history_id")] == ["created", "updated"]


def test_another_departments_head_cannot_edit_it(client, hospital, day):
    ratio = StaffingRatio.objects.create(department=hospital.ward, shift_type=day, patients_per_person=5,
                                         effective_from=dt.date(2026, 12, 7))
    client.force_login(hospital.users["head_surg"])
    assert client.get(f"/staffing/ratios/{ratio.pk}/edit/").status_code == 404
    assert client.post(f"/staffing/ratios/{ratio.pk}/edit/", ratio_form(day, patients_per_person="9")).status_code \
        == 404
    ratio.refresh_from_db()
    assert ratio.patients_per_person == 5


@pytest.mark.parametrize(("changes", "message"), [
    ({"patients_per_person": "0"}, "greater than or equal to 0.5"),
    ({"patients_per_person": "-5"}, "greater than or equal to 0.5"),
    ({"patients_per_person": "300"}, "less than or equal to 30"),
    ({"patients_per_person": "five"}, "Enter a number"),
    ({"basis": "hours", "patients_per_person": "", "hours_per_patient_day": "8"}, "Hours per patient day need this"),
    ({"basis": "hours", "patients_per_person": "", "hours_per_patient_day": "500", "share_percent": "40"},
     "less than or equal to 48"),
    ({"basis": "hours", "patients_per_person": "", "hours_per_patient_day": "8", "share_percent": "140"},
     "less than or equal to 100"),
    ({"minimum": "5000"}, "less than or equal to 200"),
    ({"effective_until": "2026-12-01"}, "The last day cannot be before the first day."),
    ({"effective_from": "1999-12-31"}, "Choose a date between"),
])
def test_bad_numbers_are_refused_with_a_message(client, hospital, day, changes, message):
    client.force_login(hospital.users["head_med"])
    response = client.post(new_ratio_url(hospital), ratio_form(day, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StaffingRatio.objects.exists()


def test_a_second_ratio_starting_the_same_day_is_refused(client, hospital, day):
    client.force_login(hospital.users["head_med"])
    client.post(new_ratio_url(hospital), ratio_form(day))
    response = client.post(new_ratio_url(hospital), ratio_form(day, patients_per_person="4"))
    assert response.status_code == 400
    assert "already has a ratio starting that day" in response.content.decode()
    assert StaffingRatio.objects.count() == 1


def test_another_units_shift_is_not_offered(client, hospital, day):
    theirs = ShiftTypeFactory(department=hospital.theatre, code="T")
    client.force_login(hospital.users["ops"])
    response = client.post(new_ratio_url(hospital), ratio_form(day, shift_type=theirs.pk))
    assert response.status_code == 400 and not StaffingRatio.objects.exists()


def test_the_list_shows_the_units_ratios_and_targets(client, hospital, day):
    StaffingRatio.objects.create(department=hospital.ward, shift_type=day, patients_per_person=5,
                                 effective_from=dt.date(2026, 12, 7))
    HppdTarget.objects.create(department=hospital.ward, effective_from=dt.date(2026, 1, 1),
                              hours_per_patient_day=Decimal("8.0"))
    client.force_login(hospital.users["scheduler_med"])  # schedulers read the setup
    page = client.get("/staffing/ratios/").content.decode()
    assert "1 per 5 patients" in page and "8 h" in page and "Add ratio" not in page
    client.force_login(hospital.users["head_surg"])
    page = client.get("/staffing/ratios/").content.decode()
    assert "1 per 5 patients" not in page
    client.force_login(hospital.users["board"])
    assert client.get("/staffing/ratios/").status_code == 404


# HPPD targets ----------------------------------------------------------------------------------------------


def test_a_head_sets_a_target_and_bad_ones_are_refused(client, hospital):
    client.force_login(hospital.users["head_med"])
    url = f"/staffing/units/{hospital.ward.pk}/hppd-targets/new/"
    for bad in ("0", "-1", "100", "x"):
        assert client.post(url, {"effective_from": "2026-01-01", "hours_per_patient_day": bad}).status_code == 400
    assert not HppdTarget.objects.exists()
    assert client.post(url, {"effective_from": "2026-01-01", "hours_per_patient_day": "8.5"}).status_code == 302
    target = HppdTarget.objects.get()
    assert target.hours_per_patient_day == Decimal("8.5") and target.history.count() == 1
    client.force_login(hospital.users["head_surg"])
    assert client.post(f"/staffing/hppd-targets/{target.pk}/edit/",
                       {"effective_from": "2026-01-01", "hours_per_patient_day": "9"}).status_code == 404


# The API ---------------------------------------------------------------------------------------------------


def test_the_api_creates_a_ratio_for_a_head(as_user, hospital, day):
    answer = as_user("head_med").post("/api/v1/staffing/ratios/", {
        "shift_type": day.pk, "patients_per_person": "6", "effective_from": "2026-12-07", "minimum": 2,
    }, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["department"] == hospital.ward.pk and answer.json()["basis"] == "patients"
    assert StaffingRatio.objects.get().history.count() == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"patients_per_person": "0"}, "patients_per_person"),
    ({"patients_per_person": "31"}, "patients_per_person"),
    ({"basis": "hours", "hours_per_patient_day": "8"}, "__all__"),
    ({"patients_per_person": "5", "effective_until": "2026-01-01"}, "__all__"),
])
def test_the_api_refuses_bad_numbers(as_user, hospital, day, body, field):
    answer = as_user("head_med").post("/api/v1/staffing/ratios/", {
        "shift_type": day.pk, "effective_from": "2026-12-07", **body}, format="json")
    assert answer.status_code == 400
    assert answer.json(), "a message says why"
    assert not StaffingRatio.objects.exists()


def test_the_api_hides_another_departments_ratios(as_user, hospital, day):
    ratio = StaffingRatio.objects.create(department=hospital.ward, shift_type=day, patients_per_person=5,
                                         effective_from=dt.date(2026, 12, 7))
    api = as_user("head_surg")
    assert api.get(f"/api/v1/staffing/ratios/{ratio.pk}/").status_code == 404
    assert api.patch(f"/api/v1/staffing/ratios/{ratio.pk}/", {"minimum": 3}, format="json").status_code == 404
    assert api.post("/api/v1/staffing/ratios/", {"shift_type": day.pk, "patients_per_person": "5",
                                                 "effective_from": "2027-01-04"}, format="json").status_code == 400
    assert StaffingRatio.objects.count() == 1


def test_a_scheduler_reads_but_does_not_write(as_user, hospital, day):
    api = as_user("scheduler_med")
    assert api.get("/api/v1/staffing/ratios/").status_code == 200
    answer = api.post("/api/v1/staffing/ratios/", {"shift_type": day.pk, "patients_per_person": "5",
                                                   "effective_from": "2026-12-07"}, format="json")
    assert answer.status_code == 403 and not StaffingRatio.objects.exists()


def test_the_api_sets_a_target(as_user, hospital):
    api = as_user("head_med")
    answer = api.post("/api/v1/staffing/hppd-targets/", {"department": hospital.ward.pk, "effective_from":
                                                         "2026-01-01", "hours_per_patient_day": "8.0"}, format="json")
    assert answer.status_code == 201
    bad = api.post("/api/v1/staffing/hppd-targets/", {"department": hospital.ward.pk, "effective_from": "2026-02-01",
                                                      "hours_per_patient_day": "0"}, format="json")
    assert bad.status_code == 400 and HppdTarget.objects.count() == 1
    theirs = as_user("head_surg").post("/api/v1/staffing/hppd-targets/", {
        "department": hospital.ward.pk, "effective_from": "2026-03-01", "hours_per_patient_day": "9"}, format="json")
    assert theirs.status_code == 400 and HppdTarget.objects.count() == 1  # the unit is not found for them
