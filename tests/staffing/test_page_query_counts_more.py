"""The generation page, one gap's candidates, the new-contract page and the department form cost the same
queries for one row as for many, and at most 15; the department head and the contract's employee are typed
by number (with suggestions from the employee search), so those forms no longer list every employee."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from records.models import Department
from staffing.models import CellLock, LabourRules, ShiftAssignment, StaffingRequirement
from tests.records.factories import EmployeeFactory, EmployeeSkillFactory, SkillFactory
from tests.staffing.factories import hospital_rules
from tests.staffing.test_roster_page_queries import page_queries

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
queries_of = page_queries  # (queries, response) of a page's second request, signed in as the user


@pytest.fixture
def ward(roster, hospital):
    """Day shifts needing two (one of them with a skill) and a night needing one, every day: gaps everywhere."""
    hospital_rules(min_rest_hours=Decimal(11), max_consecutive_days=5)
    skill = SkillFactory(name="Telemetry")
    for weekday in range(7):
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=2)
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.day, weekday=weekday,
                                           required_count=1, skill=skill)
        StaffingRequirement.objects.create(department=roster.ward, shift_type=roster.night, weekday=weekday,
                                           required_count=1)
    roster.skill = skill
    return roster


def grow(ward, hospital, people=30):
    """Many people on the roster, with cells, skills and locks."""
    staff = EmployeeFactory.create_batch(people, department=ward.ward)
    for n, employee in enumerate(staff):
        ShiftAssignment.objects.create(schedule=ward.schedule, employee=employee, shift_type=ward.late,
                                       date=ward.days[n % 20])
        EmployeeSkillFactory(employee=employee, skill=ward.skill)
        CellLock.objects.create(schedule=ward.schedule, employee=employee, date=ward.days[n % 20],
                                locked_by=hospital.users["scheduler_med"])
    return staff


@pytest.mark.parametrize("role", ["ops", "head_med", "scheduler_med"])
def test_the_generation_page_costs_the_same_queries_for_one_person_as_for_many(client, hospital, ward, role):
    url = reverse("staffing:schedule-generate", args=[ward.schedule.pk])
    one, _response = queries_of(client, hospital.users[role], url)

    staff = grow(ward, hospital)
    many, response = queries_of(client, hospital.users[role], url)

    page = response.text
    assert f"{staff[0].last_name}, {staff[0].first_name}" in page  # fairness table and locked cells
    assert page.count('class="border-bottom px-3 py-2 gap-item"') == len(response.context["gaps"]) > 0
    assert one == many
    assert many <= MAX_QUERIES


def test_the_generation_page_lists_the_locked_cells_by_day(client, hospital, ward):
    staff = grow(ward, hospital, people=3)
    url = reverse("staffing:schedule-generate", args=[ward.schedule.pk])
    _count, response = queries_of(client, hospital.users["scheduler_med"], url)
    locks = [(lock.date, lock.employee_id) for lock in response.context["locks"]]
    assert locks == [(ward.days[n], employee.pk) for n, employee in enumerate(staff)]


def gap_url(ward, day, shift, skill=None):
    return (reverse("staffing:schedule-generate-gap", args=[ward.schedule.pk])
            + f"?date={day:%Y-%m-%d}&shift={shift.pk}&skill={skill.pk if skill else ''}")


@pytest.mark.parametrize("role", ["ops", "head_med", "scheduler_med"])
def test_a_gaps_candidates_cost_the_same_queries_for_one_person_as_for_many(client, hospital, ward, role):
    url = gap_url(ward, ward.days[3], ward.day, ward.skill)
    one, _response = queries_of(client, hospital.users[role], url)

    staff = grow(ward, hospital)
    many, response = queries_of(client, hospital.users[role], url)

    assert staff[0].full_name in response.text
    assert one == many
    assert many <= MAX_QUERIES


def test_a_gap_names_each_candidates_reason_when_opened(client, hospital, ward):
    """Stacy worked the night before (rest); Nora has no telemetry skill; Fran has it and is free."""
    free = EmployeeFactory(department=ward.ward, first_name="Fran", last_name="Free")
    EmployeeSkillFactory(employee=free, skill=ward.skill)
    tuesday = ward.days[8]
    ShiftAssignment.objects.create(schedule=ward.schedule, employee=hospital.staff_employee, shift_type=ward.night,
                                   date=tuesday - dt.timedelta(days=1))
    client.force_login(hospital.users["scheduler_med"])

    page = client.get(reverse("staffing:schedule-generate", args=[ward.schedule.pk])).content.decode()
    assert gap_url(ward, tuesday, ward.day, ward.skill).replace("&", "&amp;") in page

    response = client.get(gap_url(ward, tuesday, ward.day, ward.skill))
    reasons = {c.employee_id: set(c.codes) for c in response.context["gap"].candidates}
    assert reasons[hospital.nurse.pk] == {"skill"}
    assert reasons[hospital.staff_employee.pk] & {"rest", "succession", "skill"}
    assert reasons[free.pk] == set()
    assert "1 free" in response.text and "Fran Free" in response.text


def test_a_gap_no_longer_there_says_so_and_bad_input_is_refused(client, hospital, ward):
    client.force_login(hospital.users["scheduler_med"])
    covered = client.get(gap_url(ward, ward.days[0], ward.late))  # no requirement for lates: never a gap
    assert covered.status_code == 200 and covered.context["gap"] is None
    assert "covered now" in covered.text
    bad = reverse("staffing:schedule-generate-gap", args=[ward.schedule.pk]) + "?date=soon&shift=x"
    assert client.get(bad).status_code == 400
    client.force_login(hospital.users["head_surg"])
    assert client.get(gap_url(ward, ward.days[0], ward.day)).status_code == 404


@pytest.mark.parametrize("role", ["ops", "head_med"])
def test_the_new_contract_page_costs_the_same_queries_for_one_employee_as_for_many(client, hospital, role):
    url = reverse("staffing:contract-rules-create")
    one, _response = queries_of(client, hospital.users[role], url)
    EmployeeFactory.create_batch(40, department=hospital.ward)
    many, response = queries_of(client, hospital.users[role], url)
    assert "<select" not in response.text.split('name="employee"')[0][-200:]
    assert reverse("records:employee-search") in response.text
    assert one == many <= MAX_QUERIES


def test_a_contract_is_chosen_by_employee_number(client, hospital):
    client.force_login(hospital.users["head_med"])
    url = reverse("staffing:contract-rules-create")
    chosen = client.post(url, {"employee": hospital.nurse.employee_number.lower()})
    assert chosen.status_code == 302
    assert chosen["Location"] == reverse("staffing:contract-rules", args=[hospital.nurse.pk])
    LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=hospital.nurse)
    again = client.post(url, {"employee": hospital.nurse.employee_number})
    assert again.status_code == 400
    assert "No one without contract rules" in again.text
    outside = client.post(url, {"employee": hospital.surgeon.employee_number})
    assert outside.status_code == 400


@pytest.mark.parametrize("role", ["ops", "head_med"])
def test_the_department_form_costs_the_same_queries_for_one_employee_as_for_many(client, hospital, role):
    hospital.ward.head = hospital.nurse
    hospital.ward.save()
    url = reverse("records:department-edit", args=[hospital.ward.pk])
    one, _response = queries_of(client, hospital.users[role], url)
    EmployeeFactory.create_batch(40, department=hospital.ward)
    many, response = queries_of(client, hospital.users[role], url)
    assert f'value="{hospital.nurse.employee_number}"' in response.text  # the head, by number
    assert 'list="head-options"' in response.text and '<datalist id="head-options">' in response.text
    assert one == many <= MAX_QUERIES

    created_one, _response = queries_of(client, hospital.users[role], reverse("records:department-create"))
    assert created_one <= MAX_QUERIES


def test_a_head_is_appointed_by_number_and_only_someone_the_user_sees(client, hospital):
    client.force_login(hospital.users["head_med"])
    data = {"code": "MED-4W", "name": "Ward 4 West", "kind": "unit", "parent": hospital.medicine.pk,
            "cost_centre": hospital.ward.cost_centre, "is_active": "on"}
    url = reverse("records:department-edit", args=[hospital.ward.pk])
    refused = client.post(url, data | {"head": hospital.surgeon.employee_number})
    assert refused.status_code == 400
    assert "No employee you can choose here" in refused.text
    assert client.post(url, data | {"head": hospital.nurse.employee_number}).status_code == 302
    assert Department.objects.get(pk=hospital.ward.pk).head == hospital.nurse


def test_the_employee_search_suggests_people_the_user_sees(client, hospital):
    client.force_login(hospital.users["head_med"])
    url = reverse("records:employee-search")
    found = client.get(url, {"head": "night"}).text
    assert f'value="{hospital.nurse.employee_number}"' in found
    assert client.get(url, {"q": "sutures"}).text.strip() == ""  # another department's surgeon
    assert client.get(url).text.strip() == ""
    client.force_login(hospital.users["ops"])
    assert f'value="{hospital.surgeon.employee_number}"' in client.get(url, {"q": "sutures"}).text
