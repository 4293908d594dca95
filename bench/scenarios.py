"""The worst cases the bench measures, and the bare SQL each one stands on (its floor).

Every scenario is a URL requested as one user, with, where there is one, the minimal SQL that
produces the same rows: the figure's `floor_ms` is the median time of running that SQL and fetching
its rows through the same connection, and `ratio` how many times the whole request costs it.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass


@dataclass
class Scenario:
    name: str
    user: str
    url: str
    floor_sql: str = ""
    floor_params: tuple = ()
    note: str = ""
    stream: bool = False  # a download: the body is read to the end inside the timing
    change_sql: str = ""  # run (and committed) before each request, outside the timing: the view after a change
    change_params: tuple = ()


def largest_unit(user=None):
    """The rostered unit with the most active staff (in the user's scope), and its fullest roster."""
    from django.db.models import Count, Q

    from records.models import Department
    from staffing.models import Schedule

    units = Department.objects.filter(schedules__isnull=False)
    if user is not None:
        units = units.filter(pk__in=Department.objects.visible_to(user).values("pk"))
    unit = (
        units.annotate(staff=Count("employees", filter=Q(employees__status="active"), distinct=True))
        .order_by("-staff", "pk")
        .first()
    )
    schedule = (
        Schedule.objects.filter(department=unit)
        .annotate(cells=Count("assignments"))
        .order_by("-cells", "-start_date")
        .first()
    )
    return unit, schedule


def _cursor_at(fraction: float, schedule_ids=None) -> tuple[str, tuple]:
    """The key (date, starts_at, id) of the row `fraction` deep into the ordered cell list."""
    from django.db import connection

    where, params = "", []
    if schedule_ids is not None:
        where, params = "WHERE schedule_id = ANY(%s)", [list(schedule_ids)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM staffing_shiftassignment {where}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT date, starts_at, id FROM staffing_shiftassignment {where} ORDER BY date, starts_at, id "
            "OFFSET %s LIMIT 1", [*params, int(total * fraction)],
        )
        return total, cursor.fetchone()


def _export_range(rows: int):
    """The first days of the roster cells holding at least `rows` rows: (first, last, row count)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(date) FROM staffing_shiftassignment")
        first = cursor.fetchone()[0]
        cursor.execute("SELECT date FROM staffing_shiftassignment ORDER BY date OFFSET %s LIMIT 1", [rows])
        found = cursor.fetchone()
        last = found[0] if found else first
        cursor.execute("SELECT count(*) FROM staffing_shiftassignment WHERE date BETWEEN %s AND %s", [first, last])
        return first, last, cursor.fetchone()[0]


def _cursor_token(key) -> str:
    values = [value.isoformat() if hasattr(value, "isoformat") else value for value in key]
    return base64.urlsafe_b64encode(json.dumps(["a", values]).encode()).decode().rstrip("=")


ASSIGNMENT_PAGE_SQL = """
SELECT a.id, a.date, a.starts_at, a.ends_at, a.employee_id, e.employee_number, e.first_name, e.last_name,
       a.shift_type_id, t.code, t.name, a.schedule_id, s.status, d.code, d.name
FROM staffing_shiftassignment a
JOIN records_employee e ON e.id = a.employee_id
JOIN staffing_shifttype t ON t.id = a.shift_type_id
JOIN staffing_schedule s ON s.id = a.schedule_id
JOIN records_department d ON d.id = s.department_id
WHERE {where}
ORDER BY a.date, a.starts_at, a.id
LIMIT {limit}
"""


def build(users: dict) -> tuple[list[Scenario], dict]:
    """The scenarios for `users` ({"ops": user, "head": user}) and what was picked (unit, roster, depth)."""
    from staffing.models import Schedule

    head = users["head"]
    unit, schedule = largest_unit()
    head_unit, head_schedule = largest_unit(head)
    head_rosters = list(Schedule.objects.visible_to(head).values_list("pk", flat=True))
    total, deep_key = _cursor_at(0.9)
    head_total, head_deep_key = _cursor_at(0.9, head_rosters)
    first, last, export_rows = _export_range(100_000)
    picked = {
        "largest_unit": unit.code, "largest_unit_staff": unit.staff, "roster": schedule.pk,
        "roster_days": (schedule.end_date - schedule.start_date).days + 1, "roster_cells": schedule.cells,
        "head_unit": head_unit.code, "head_unit_staff": head_unit.staff, "head_roster": head_schedule.pk,
        "assignments_total": total, "assignments_head": head_total, "deep_page_at": "90% of the rows",
    }
    scenarios: list[Scenario] = []
    employee_page_sql = (
        "SELECT e.*, d.name, j.name FROM records_employee e JOIN records_department d ON d.id = e.department_id "
        "JOIN records_jobtitle j ON j.id = e.job_title_id ORDER BY e.last_name, e.first_name, e.id LIMIT 50"
    )
    for name in ("ops", "head"):
        scenarios += [
            Scenario("employee list page", name, "/records/employees/", employee_page_sql),
            Scenario("API employee list (50)", name, "/api/v1/records/employees/?page_size=50", employee_page_sql),
        ]
    everything, heads = "TRUE", "a.schedule_id = ANY(%s)"
    for name, where, params, deep in (
        ("ops", everything, (), deep_key), ("head", heads, (head_rosters,), head_deep_key),
    ):
        for size in (50, 200):
            scenarios.append(Scenario(
                f"API assignments p1 ({size})", name, f"/api/v1/staffing/assignments/?page_size={size}",
                ASSIGNMENT_PAGE_SQL.format(where=where, limit=size), params,
            ))
            scenarios.append(Scenario(
                f"API assignments deep ({size})", name,
                f"/api/v1/staffing/assignments/?page_size={size}&cursor={_cursor_token(deep)}",
                ASSIGNMENT_PAGE_SQL.format(where=f"{where} AND (a.date, a.starts_at, a.id) > (%s, %s, %s)",
                                           limit=size), (*params, *deep),
                note="a page 90% deep, by cursor",
            ))
    roster_sql = (
        "SELECT e.id, e.last_name, e.first_name, j.name, a.date, t.code FROM records_employee e "
        "JOIN records_jobtitle j ON j.id = e.job_title_id "
        "LEFT JOIN staffing_shiftassignment a ON a.employee_id = e.id AND a.schedule_id = %s "
        "LEFT JOIN staffing_shifttype t ON t.id = a.shift_type_id "
        "WHERE e.department_id = %s AND e.status = 'active' OR a.id IS NOT NULL "
        "ORDER BY e.last_name, e.first_name, e.id, a.date"
    )
    for name, roster in (("ops", schedule), ("head", head_schedule)):
        params = (roster.pk, roster.department_id)
        scenarios += [
            Scenario("roster page", name, f"/staffing/schedules/{roster.pk}/", roster_sql, params),
            Scenario("roster page after a change", name, f"/staffing/schedules/{roster.pk}/", roster_sql, params,
                     change_sql="UPDATE staffing_schedule SET revision = revision WHERE id = %s",
                     change_params=(roster.pk,),
                     note="a write to the roster before each request, so the page draws its grid anew"),
            Scenario("roster print", name, f"/staffing/schedules/{roster.pk}/print/", roster_sql, params),
            Scenario("roster CSV", name, f"/staffing/schedules/{roster.pk}/export/csv/", roster_sql, params,
                     stream=True),
            Scenario("unit page", name, f"/staffing/units/{roster.department_id}/"),
        ]
    scenarios += [
        Scenario(
            "employee CSV export", "ops", "/records/employees/export/csv/",
            "SELECT e.employee_number, e.last_name, e.first_name, d.name, j.name, e.employment_type, e.fte, e.status, "
            "(SELECT string_agg(s.name, '; ' ORDER BY s.name) FROM records_employeeskill h "
            "JOIN records_skill s ON s.id = h.skill_id WHERE h.employee_id = e.id) "
            "FROM records_employee e JOIN records_department d ON d.id = e.department_id "
            "JOIN records_jobtitle j ON j.id = e.job_title_id ORDER BY e.last_name, e.first_name, e.id",
            stream=True,
        ),
        Scenario(
            "assignment CSV export", "ops",
            f"/staffing/assignments/export/csv/?date_from={first}&date_to={last}",
            ASSIGNMENT_PAGE_SQL.format(where="a.date BETWEEN %s AND %s", limit="ALL"), (first, last),
            note=f"{export_rows} rows, {first} to {last}", stream=True,
        ),
    ]
    return scenarios, picked
