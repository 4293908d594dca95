"""Every list page and API list costs the same queries for 1 row as for 50, and at most 15.

The URL conf is walked for lists: API routes whose GET is a viewset's `list`, and pages named
`<thing>-list` (or `archive`). Each must be pinned in PINNED below with a way to make N rows the
user sees; a new list that is not pinned fails `test_every_list_is_pinned`.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from records.models import CatalogueProposal
from reports.models import ReportKind, ReportSchedule
from staffing import services
from staffing.models import LabourRules, ShiftPreference, TimeOff
from staffing.services import CellChange
from tests.records.factories import (
    CredentialFactory,
    CredentialTypeFactory,
    DepartmentFactory,
    EmployeeFactory,
    EmployeeSkillFactory,
    JobTitleFactory,
    SkillFactory,
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
