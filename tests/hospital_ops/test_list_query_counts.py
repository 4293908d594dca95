"""Every list page and API list costs the same queries for 1 row as for 50, and at most 15.

The URL conf is walked for lists: API routes whose GET is a viewset's `list`, and pages named
`<thing>-list` (or `archive`). Each must be pinned in PINNED below with a way to make N rows the
user sees; a new list that is not pinned fails `test_every_list_is_pinned`.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from facilities import bed_services, equipment_services, inspection_services
from facilities.models import (
    Area,
    Bed,
    Building,
    Floor,
    Inspection,
    InspectionResult,
    InspectionSchedule,
    InspectionTemplate,
    PatientStay,
    Room,
    TemplateItem,
)
from finance.models import Account, AuthorisationBand, FiscalYear
from finance.services import budgets as budget_services
from finance.services import expenditure as expenditure_services
from finance.services import rates as rate_services
from finance.services import setup as finance_setup
from records import access
from records.models import CatalogueProposal
from reports.models import ReportKind, ReportSchedule
from staffing import cover_services, services
from staffing import generation_services as generation
from staffing.models import HppdTarget, LabourRules, ShiftPreference, StaffingRatio, TimeOff
from staffing.services import CellChange
from tests.facilities import equipment_fixtures as equipment
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    DepartmentFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    JobTitleFactory,
    SkillFactory,
    make_user,
)
from tests.reports.factories import make_run
from tests.staffing.factories import RequirementFactory, ScheduleFactory, ShiftTypeFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
PAGE_APPS = {"records", "staffing", "facilities", "finance", "reports"}
MONDAY = dt.date(2027, 1, 4)
SERIAL = itertools.count()  # codes, periods and start dates that differ between the 1-row and the 50-row call


def list_routes():
    """(url name, kind) of every list in the URL conf: "api" or "page"."""
    found = {}

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                    pattern.namespace or namespace)
                walk(pattern.url_patterns, inner or "")
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                actions = getattr(pattern.callback, "actions", None)
                if actions is not None:
                    if actions.get("get") == "list" and "format" not in pattern.pattern.regex.groupindex:
                        found[name] = "api"
                elif namespace in PAGE_APPS and (pattern.name.endswith("-list") or pattern.name == "archive"):
                    if not pattern.pattern.regex.groupindex:
                        found[name] = "page"

    walk(get_resolver().url_patterns)
    return found


# How to make N rows of each list, and as whom to ask ---------------------------------------------------


def employees(h, n):
    people = EmployeeFactory.create_batch(n, department=h.ward)
    for person in people:
        EmployeeSkillFactory(employee=person)
        CredentialFactory(employee=person)


def departments(h, n):
    for _ in range(n):
        DepartmentFactory(parent=h.medicine, kind="unit")


def skills(h, n):
    SkillFactory.create_batch(n)


def proposals(h, n):
    for i in range(n):
        CatalogueProposal.objects.create(catalogue="skill", code=f"NEW{i}", name=f"New skill {i}", reason="Needed",
                                         proposed_by=h.users["head_med"])


def shift_types(h, n):
    ShiftTypeFactory.create_batch(n, department=h.ward)


def requirements(h, n):
    for _ in range(n):
        RequirementFactory(shift_type=ShiftTypeFactory(department=h.ward))


def ratios(h, n):
    for _ in range(n):
        StaffingRatio.objects.create(department=h.ward, shift_type=ShiftTypeFactory(department=h.ward),
                                     patients_per_person=Decimal("5"), effective_from=MONDAY)


def hppd_targets(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        HppdTarget.objects.create(department=h.ward, effective_from=MONDAY + dt.timedelta(days=i),
                                  hours_per_patient_day=Decimal("8.0"))


def schedules(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        ScheduleFactory(department=h.ward, start_date=MONDAY + dt.timedelta(weeks=5 * i),
                        created_by=h.users["scheduler_med"])


def labour_rules(h, n):
    for person in EmployeeFactory.create_batch(n, department=h.ward):
        LabourRules.objects.create(scope=LabourRules.Scope.EMPLOYEE, employee=person, max_weekly_minutes=2400)


def time_off(h, n):
    for i, person in enumerate(EmployeeFactory.create_batch(n, department=h.ward)):
        day = MONDAY + dt.timedelta(days=i)
        TimeOff.objects.create(employee=person, start_date=day, end_date=day, requested_by=h.users["head_med"])


def preferences(h, n):
    shift = ShiftTypeFactory(department=h.ward)
    for i in range(n):
        ShiftPreference.objects.create(employee=h.nurse, date=MONDAY + dt.timedelta(days=i), shift_type=shift,
                                       kind=ShiftPreference.Kind.WANT)


def assignments(h, n):
    start = MONDAY + dt.timedelta(weeks=5 * next(SERIAL))
    shift = ShiftTypeFactory(department=h.ward)
    schedule = ScheduleFactory(department=h.ward, start_date=start, created_by=h.users["scheduler_med"])
    people = EmployeeFactory.create_batch(n, department=h.ward)
    services.set_cells(actor=h.users["scheduler_med"], schedule=schedule,
                       changes=[CellChange(person, start, shift) for person in people])


def credentials(h, n):
    for person in EmployeeFactory.create_batch(n, department=h.ward):
        CredentialFactory(employee=person)


def employee_skills(h, n):
    for person in EmployeeFactory.create_batch(n, department=h.ward):
        EmployeeSkillFactory(employee=person)


def runs(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        make_run(period=f"{2020 + i // 12}-{i % 12 + 1:02d}")


def report_schedules(h, n):
    for i in range(n):
        ReportSchedule.objects.create(name=f"Board {i}", kind=ReportKind.BOARD,
                                      frequency=ReportSchedule.Frequency.MONTHLY)


def ward_room(h):
    building, _ = Building.objects.get_or_create(code="MAIN", defaults={"name": "Main Hospital"})
    floor, _ = Floor.objects.get_or_create(building=building, level=4)
    room, _ = Room.objects.get_or_create(floor=floor, number="401", defaults={"department": h.ward})
    return room


def beds(h, n):
    room = ward_room(h)
    for i in (next(SERIAL) for _ in range(n)):
        bed_services.save_bed(actor=h.users["head_med"], data={"room": room, "unit": h.ward, "label": f"B{i}"})


def stays(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        PatientStay.objects.create(encounter_number=f"ENC{i:06d}", mrn=f"MRN{i:06d}", unit=h.ward,
                                   needs_kind=Bed.Kind.GENERAL)


def fiscal_years(h, n):
    """n fiscal years (twelve periods each) from 2030 on, after the ones already made."""
    first = 2030 + FiscalYear.objects.count()
    return [finance_setup.create_fiscal_year(actor=h.users["finance"],
                                             data={"name": f"FY{year}", "start_date": dt.date(year, 1, 1)})
            for year in range(first, first + n)]


def accounts(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        finance_setup.create_account(actor=h.users["finance"],
                                     data={"gl_code": f"6{i:04d}", "name": f"Supplies {i}", "kind": "supplies"})


def budgets(h, n):
    for year in fiscal_years(h, n):
        budget_services.create_budget(actor=h.users["finance"], data={"department": h.medicine, "fiscal_year": year})


def expenditures(h, n):
    if not FiscalYear.objects.filter(name="FY2026").exists():
        finance_setup.create_fiscal_year(actor=h.users["finance"],
                                         data={"name": "FY2026", "start_date": dt.date(2026, 1, 1)})
        for level, role, limit in ((1, "head", Decimal("5000")), (2, "operations", Decimal("50000")),
                                   (3, "finance", None)):
            AuthorisationBand.objects.create(level=level, role=role, limit=limit)
    account, _ = Account.objects.get_or_create(gl_code="6100", defaults={"name": "Medical supplies",
                                                                         "kind": "supplies"})
    for i in range(n):
        expenditure_services.raise_expenditure(actor=h.users["head_med"], data={
            "department": h.medicine, "month": dt.date(2026, 3, 1), "vendor": f"MedSupply {i}",
            "justification": "Restock",
            "lines": [{"account": account, "description": "Gloves", "amount": Decimal("120.00")}],
        })


def charge_codes(h, n):
    for i in (next(SERIAL) for _ in range(n)):
        rate_services.create_charge_code(actor=h.users["finance"], data={
            "code": f"C{i:05d}", "revenue_code": "0360", "description": f"Procedure {i}", "department": h.ward})


def rate_changes(h, n):
    charge_codes(h, 1)
    for i in range(n):
        rate_services.propose_rate_change(actor=h.users["finance"], data={
            "percent": Decimal("3.00"), "department": h.medicine,
            "effective_from": dt.date.today() + dt.timedelta(days=30 + i)})


def roster(h):
    """A draft roster of Ward 4 West that starts on a Monday no other roster of the test uses, and a shift."""
    start = MONDAY + dt.timedelta(weeks=5 * next(SERIAL))
    schedule = ScheduleFactory(department=h.ward, start_date=start, created_by=h.users["scheduler_med"])
    return schedule, ShiftTypeFactory(department=h.ward)


def generations(h, n):
    for _ in range(n):
        schedule, _ = roster(h)
        generation.start_generation(actor=h.users["scheduler_med"], schedule=schedule, time_limit=5)


def open_shifts(h, n):
    schedule, shift = roster(h)
    for i in range(n):
        cover_services.post_open_shift(actor=h.users["scheduler_med"], schedule=schedule, shift_type=shift,
                                       day=schedule.days[i % len(schedule.days)])


def swaps(h, n):
    schedule, shift = roster(h)
    people = EmployeeFactory.create_batch(n, department=h.ward)
    users = [make_user(username=f"swapper{next(SERIAL)}", employee=person) for person in people]
    services.set_cells(actor=h.users["scheduler_med"], schedule=schedule,
                       changes=[CellChange(person, schedule.start_date, shift) for person in people])
    services.submit_schedule(actor=h.users["scheduler_med"], schedule=schedule)
    services.approve_schedule(actor=h.users["head_med"], schedule=schedule)
    services.publish_schedule(actor=h.users["scheduler_med"], schedule=schedule)
    for user, person in zip(users, people, strict=True):
        mine = schedule.assignments.get(employee=person)
        cover_services.offer_swap(actor=user, assignment=mine, to=h.nurse)



def assets(h, n):
    room = ward_room(h)
    for _ in range(n):
        equipment.asset(h.ward, room=room)


def work_orders(h, n):
    for i in range(n):
        equipment_services.report_fault(actor=h.users["head_med"], asset=equipment.asset(h.ward),
                                        title=f"Occlusion alarm {i}")


def usage_sessions(h, n):
    scanner = equipment.asset(h.ward, kind_=equipment.kind("CT", "CT scanner", modality="CT"))
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=60)
    rows = []
    for i in (next(SERIAL) for _ in range(n)):
        begins = start + dt.timedelta(hours=i)
        rows.append({"sender_id": f"RIS-{i}", "asset": scanner, "starts_at": begins,
                     "ends_at": begins + dt.timedelta(minutes=30), "exam_type": "CT head"})
    equipment_services.record_usage_sessions(actor=h.users["head_med"], rows=rows)


def ward_inspection(h, items):
    template = InspectionTemplate.objects.create(name=f"Rounds {next(SERIAL)}")
    for position in range(items):
        TemplateItem.objects.create(template=template, area=Area.FIRE_LIFE_SAFETY, position=position,
                                    text=f"Exit {position} is clear")
    return Inspection.objects.create(template=template, building=ward_room(h).floor.building, department=h.ward,
                                     due_on=dt.date(2026, 3, 2))


def inspections(h, n):
    for _ in range(n):
        ward_inspection(h, 1)


def findings(h, n):
    inspector = make_user(username=f"inspector{next(SERIAL)}", groups=[access.INSPECTOR])
    inspection = inspection_services.start_inspection(actor=inspector, inspection=ward_inspection(h, n))
    for result in inspection.results.all():
        inspection_services.record_result(actor=inspector, result=result, outcome=InspectionResult.Outcome.FAIL,
                                          note="Exit blocked by a trolley")
    inspection_services.complete_inspection(actor=inspector, inspection=inspection)


def recommendations(h, n):
    for i in range(n):
        inspection_services.propose_recommendation(
            actor=h.users["head_med"], title=f"Widen door {i}", justification="Beds do not pass",
            estimated_cost=Decimal("1200.00"), department=h.ward)


CODES = itertools.count()  # names and codes of registry and inspection rows (SERIAL also moves dates forward)


def buildings(h, n):
    for i in (next(CODES) for _ in range(n)):
        building = Building.objects.create(code=f"B{i}", name=f"Block {i}")
        Floor.objects.create(building=building, level=0)


def rooms(h, n):
    floor = ward_room(h).floor
    for i in (next(CODES) for _ in range(n)):
        room = Room.objects.create(floor=floor, number=f"R{i}", department=h.ward)
        Bed.objects.create(room=room, unit=h.ward, label="A")


def inspection_templates(h, n):
    for i in (next(CODES) for _ in range(n)):
        template = InspectionTemplate.objects.create(name=f"Template {i}")
        TemplateItem.objects.create(template=template, area=Area.SECURITY, text="Doors lock")


def inspection_schedules(h, n):
    template = InspectionTemplate.objects.create(name=f"Scheduled {next(CODES)}")
    for _ in range(n):
        InspectionSchedule.objects.create(template=template, department=h.ward, starts_on=dt.date(2026, 1, 1))


def maintenance_plans(h, n):
    for i in range(n):
        equipment_services.save_maintenance_plan(actor=h.users["ops"], data={
            "name": f"Check {i}", "asset": equipment.asset(h.ward), "tasks": "Check", "interval_days": 90,
            "starts_on": dt.date(2026, 3, 2)})


def operating_hours(h, n):
    scanner_kind = equipment.kind("CT", "CT scanner", modality="CT")
    for _ in range(n):
        equipment_services.save_operating_hours(actor=h.users["ops"], data={
            "asset": equipment.asset(h.ward, kind_=scanner_kind), "weekday": 0, "opens": dt.time(8), "hours": 10})


# url name: (make rows, user, extra query string)
PINNED = {
    "records:department-list": (departments, "ops", {}),
    "records:employee-list": (employees, "head_med", {}),
    "records:skill-list": (skills, "ops", {}),
    "records:proposal-list": (proposals, "ops", {}),
    "records-api:department-list": (departments, "ops", {"page_size": 50}),
    "records-api:employee-list": (employees, "head_med", {"page_size": 50}),
    "records-api:skill-list": (skills, "ops", {"page_size": 50}),
    "records-api:job-title-list": (
        lambda h, n: [JobTitleFactory(code=f"JT{i}", name=f"Job {i}") for i in (next(SERIAL) for _ in range(n))],
        "ops", {"page_size": 50}),
    "records-api:credential-type-list": (
        lambda h, n: [CredentialTypeFactory(code=f"CT{i}", name=f"Card {i}") for i in (next(SERIAL) for _ in range(n))],
        "ops", {"page_size": 50}),
    "records-api:credential-list": (credentials, "head_med", {"page_size": 50}),
    "records-api:employee-skill-list": (employee_skills, "head_med", {"page_size": 50}),
    "records-api:catalogue-proposal-list": (proposals, "ops", {"page_size": 50}),
    "staffing:schedule-list": (schedules, "head_med", {}),
    "staffing:shift-type-list": (shift_types, "head_med", {}),
    "staffing:requirement-list": (requirements, "head_med", {}),
    "staffing:labour-rules-list": (labour_rules, "head_med", {}),
    "staffing:ratio-list": (ratios, "head_med", {}),
    "staffing-api:ratio-list": (ratios, "head_med", {"page_size": 50}),
    "staffing-api:hppd-target-list": (hppd_targets, "head_med", {"page_size": 50}),
    "staffing:time-off-list": (time_off, "head_med", {}),
    "staffing-api:shift-type-list": (shift_types, "head_med", {"page_size": 50}),
    "staffing-api:requirement-list": (requirements, "head_med", {"page_size": 50}),
    "staffing-api:labour-rules-list": (labour_rules, "head_med", {"page_size": 50}),
    "staffing-api:schedule-list": (schedules, "head_med", {"page_size": 50}),
    "staffing-api:assignment-list": (assignments, "head_med", {"page_size": 50}),
    "staffing-api:time-off-list": (time_off, "head_med", {"page_size": 50}),
    "staffing-api:preference-list": (preferences, "head_med", {"page_size": 50}),
    "reports:archive": (runs, "ops", {}),
    "reports:schedule-list": (report_schedules, "ops", {}),
    "reports-api:run-list": (runs, "ops", {"page_size": 50}),
    "facilities:bed-list": (beds, "head_med", {}),
    "facilities-api:bed-list": (beds, "head_med", {"page_size": 50}),
    "facilities-api:stay-list": (stays, "head_med", {"page_size": 50}),
    "finance:budget-list": (budgets, "finance", {}),
    "finance:expenditure-list": (expenditures, "finance", {}),
    "finance:rate-list": (charge_codes, "finance", {}),
    "finance-api:account-list": (accounts, "finance", {"page_size": 50}),
    "finance-api:budget-list": (budgets, "finance", {"page_size": 50}),
    "finance-api:charge-code-list": (charge_codes, "finance", {"page_size": 50}),
    "finance-api:expenditure-list": (expenditures, "finance", {"page_size": 50}),
    "finance-api:fiscal-year-list": (fiscal_years, "finance", {"page_size": 50}),
    "finance-api:period-list": (fiscal_years, "finance", {"page_size": 50}),
    "finance-api:rate-change-list": (rate_changes, "finance", {"page_size": 50}),
    "staffing-api:generation-list": (generations, "head_med", {"page_size": 50}),
    "staffing-api:open-shift-list": (open_shifts, "head_med", {"page_size": 50}),
    "staffing-api:swap-list": (swaps, "head_med", {"page_size": 50}),
    "facilities:asset-list": (assets, "head_med", {}),
    "facilities:work-order-list": (work_orders, "head_med", {}),
    "facilities:inspection-list": (inspections, "head_med", {}),
    "facilities:finding-list": (findings, "head_med", {}),
    "facilities:recommendation-list": (recommendations, "head_med", {}),
    "facilities-api:asset-list": (assets, "head_med", {"page_size": 50}),
    "facilities-api:work-order-list": (work_orders, "head_med", {"page_size": 50}),
    "facilities-api:usage-session-list": (usage_sessions, "head_med", {"page_size": 50}),
    "facilities-api:finding-list": (findings, "head_med", {"page_size": 50}),
    "facilities:building-list": (buildings, "ops", {}),
    "facilities:floor-list": (buildings, "ops", {}),
    "facilities:room-list": (rooms, "head_med", {}),
    "facilities:inspection-template-list": (inspection_templates, "ops", {}),
    "facilities:inspection-schedule-list": (inspection_schedules, "ops", {}),
    "facilities-api:maintenance-plan-list": (maintenance_plans, "head_med", {"page_size": 50}),
    "facilities-api:operating-hours-list": (operating_hours, "head_med", {"page_size": 50}),
}


def test_every_list_is_pinned():
    unpinned = sorted(set(list_routes()) - set(PINNED))
    assert not unpinned, f"pin the query count of these lists in {__name__}.PINNED: {unpinned}"


def test_the_walk_finds_the_lists_it_should():
    routes = list_routes()
    assert routes["staffing-api:assignment-list"] == "api"
    assert routes["records:employee-list"] == "page"
    assert "reports-api:run-full-list" not in routes  # a detail action, not a list


def queries_for(client, name, params) -> tuple[int, int]:
    url = reverse(name)
    client.get(url, params)  # the session's first request records when it was seen
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, (name, response.status_code)
    return len(captured), len(response.content)


@pytest.mark.parametrize("name", sorted(PINNED))
def test_a_list_costs_the_same_queries_for_1_and_50_rows(client, hospital, name):
    make, username, params = PINNED[name]
    client.force_login(hospital.users[username])
    make(hospital, 1)
    one, one_size = queries_for(client, name, params)
    make(hospital, 49)
    fifty, fifty_size = queries_for(client, name, params)

    assert fifty_size > one_size, "the rows made are in the list"
    assert one == fifty, f"{name}: {one} queries for 1 row, {fifty} for 50"
    assert fifty <= MAX_QUERIES, f"{name}: {fifty} queries"
