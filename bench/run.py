"""Performance scenarios on the large demo hospital, on PostgreSQL. See bench/README.md.

    .venv/bin/python bench/run.py            # drop and rebuild the bench database, seed, measure
    .venv/bin/python bench/run.py --reuse    # measure again on the database of the last run

Writes bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import statistics
import sys
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hospital_ops_bench"

# Scenarios: (name, url). Each runs as every user in USERS.
SCENARIOS = [
    ("employee list page", "/records/employees/"),
    ("API employee list", "/api/v1/records/employees/?page_size=50"),
]
# ops sees the whole hospital (the worst case); head sees Medicine and its wards.
USERS = ["ops", "head"]


def configure_environment() -> None:
    """Production-like settings: DEBUG off, no HTTPS redirect (the test client speaks plain HTTP)."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DEBUG"] = "0"
    os.environ["TESTING"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["SECURE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no request log line per measured request
    os.environ.pop("REDIS_URL", None)  # Celery eager, local-memory cache: the database is what is measured
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
    sys.path.insert(0, str(ROOT))
    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: no collectstatic for a bench


def recreate_database(url: str) -> None:
    """Drop and create the bench database through the server's `postgres` database."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if "bench" not in name:
        sys.exit(f"bench/run.py drops and recreates its database; refusing to touch “{name}” "
                 "(use a database whose name contains “bench”).")
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()


def measure(client, url: str, *, warmup: int, repeat: int) -> dict:
    """Median server time of `repeat` requests after `warmup`, and the queries of one more request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figure: dict = {"url": url, "status": None, "median_ms": None, "min_ms": None, "max_ms": None, "queries": None}
    try:
        for _ in range(warmup):
            response = client.get(url)
            figure["status"] = response.status_code
            if response.status_code != 200:
                return figure
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    except Exception as error:  # noqa: BLE001 - a broken page is a result to report, not a reason to stop
        figure["error"] = f"{type(error).__name__}: {error}"
        return figure
    figure.update(
        median_ms=round(statistics.median(timings), 1),
        min_ms=round(min(timings), 1),
        max_ms=round(max(timings), 1),
        queries=len(queries),
        bytes=len(response.content),
    )
    return figure


def pick_unit(size: int = 80):
    """The rostered unit whose active staff count is nearest `size`, with its current roster."""
    from django.db.models import Count, Q

    from records.models import Department
    from staffing.models import Schedule

    units = (
        Department.objects.filter(schedules__isnull=False)
        .annotate(staff=Count("employees", filter=Q(employees__status="active"), distinct=True))
        .order_by("pk")
    )
    unit = min(units, key=lambda d: (abs(d.staff - size), d.pk))
    schedule = Schedule.objects.filter(department=unit, status="published").order_by("-start_date").first()
    return unit, schedule


def staffing_figures(*, repeat: int) -> list[dict]:
    """Roster page and coverage for the unit nearest 80 staff; bulk upsert of 2,000 cells."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.test import Client

    from staffing import rules, services
    from staffing.models import Schedule

    unit, schedule = pick_unit()
    staff = unit.staff
    ops = get_user_model().objects.get(username="ops")
    client = Client()
    client.force_login(ops)
    figures = []

    page = measure(client, f"/staffing/schedules/{schedule.pk}/", warmup=2, repeat=repeat)
    figures.append({"scenario": "roster page (28 days)", "user": "ops", "unit": unit.code, "staff": staff, **page})

    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        ctx, cells, _violations = services.schedule_violations(schedule)
        rules.coverage(ctx, cells)
        timings.append((time.perf_counter() - started) * 1000)
    figures.append({
        "scenario": "coverage + rule check, one unit-month", "unit": unit.code, "staff": staff,
        "cells": len(cells), "median_ms": round(statistics.median(timings), 1),
        "min_ms": round(min(timings), 1), "max_ms": round(max(timings), 1),
    })

    # A new roster a week after the unit's last one (so no shift there borders on it), filled with
    # 2,000 day shifts through the API in one request: about 25 of 28 days for each of 80 people.
    last = Schedule.objects.filter(department=unit).order_by("-end_date").first()
    start = last.end_date + dt.timedelta(days=8)
    fresh = services.create_schedule(actor=ops, department=unit, start_date=start, end_date=start + dt.timedelta(27))
    people = list(rules.roster_employees(fresh).order_by("pk").values_list("pk", flat=True))
    cells = []
    for index, employee_id in enumerate(people):
        for n in range(28):
            if (n + index) % 10 != 0 and len(cells) < 2000:
                day = (start + dt.timedelta(n)).isoformat()
                cells.append({"employee": employee_id, "date": day, "shift_type": "D"})
    started = time.perf_counter()
    response = client.post(
        "/api/v1/staffing/assignments/bulk/", {"schedule": fresh.pk, "cells": cells}, content_type="application/json"
    )
    elapsed = (time.perf_counter() - started) * 1000
    figures.append({
        "scenario": "API bulk upsert", "unit": unit.code, "cells": len(cells), "status": response.status_code,
        "wall_ms": round(elapsed, 1), "created": fresh.assignments.count(),
        "error": None if response.status_code == 200 else response.content[:300].decode(errors="replace"),
    })
    fresh.assignments.all().delete()
    fresh.delete()
    return figures


def machine_info() -> dict:
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": get_version(),
        "postgres": postgres,
        "database_vendor": connection.vendor,
    }


def dataset_counts() -> dict:
    from records.models import Credential, Department, Employee, EmployeeSkill
    from staffing.models import Schedule, ShiftAssignment

    return {
        "departments": Department.objects.count(),
        "employees": Employee.objects.count(),
        "employee_skills": EmployeeSkill.objects.count(),
        "credentials": Credential.objects.count(),
        "schedules": Schedule.objects.count(),
        "shift_assignments": ShiftAssignment.objects.count(),
    }


def print_table(results: dict) -> None:
    print()
    print(f"seed_demo --scale large: {results['seed_seconds']} s" if results["seed_seconds"] is not None
          else "seed_demo: reused the previous run's data")
    print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in results["dataset"].items()))
    print()
    header = f"{'scenario':<22} {'user':<6} {'status':>6} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'queries':>8}"
    print(header)
    print("-" * len(header))

    def cell(value, width):
        return f"{'null' if value is None else value:>{width}}"

    for row in results["figures"]:
        print(
            f"{row['scenario']:<22} {row['user']:<6} {cell(row['status'], 6)} {cell(row['median_ms'], 10)} "
            f"{cell(row['min_ms'], 8)} {cell(row['max_ms'], 8)} {cell(row['queries'], 8)}"
        )
        if row.get("error"):
            print(f"    {row['error']}")
    print()
    for section in ("staffing", "reports"):
        for row in results[section]:
            print(f"{section}: " + ", ".join(f"{k}={v}" for k, v in row.items() if v is not None and k != "url"))
    print()
    print(f"written to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", action="store_true", help="Keep the bench database of the last run (no seeding).")
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per figure (default 20).")
    parser.add_argument("--warmup", type=int, default=2, help="Untimed requests first (default 2).")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    configure_environment()
    if not args.reuse:
        recreate_database(os.environ["DATABASE_URL"])

    import django

    django.setup()

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    # Static files are looked up without collectstatic's manifest; everything else is as in production.
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()

    call_command("migrate", verbosity=0)
    seed_seconds = None
    if args.reuse and RESULTS.exists():  # the database is the last run's: so is its build time
        seed_seconds = json.loads(RESULTS.read_text()).get("seed_seconds")
    if not args.reuse:
        output = io.StringIO()
        started = time.perf_counter()
        call_command("seed_demo", scale="large", seed=args.seed, stdout=output)
        seed_seconds = round(time.perf_counter() - started, 1)
        print(output.getvalue().rstrip())

    figures = []
    users = get_user_model().objects.in_bulk(USERS, field_name="username")
    for username in USERS:
        client = Client()
        client.force_login(users[username])
        for scenario, url in SCENARIOS:
            figure = measure(client, url, warmup=args.warmup, repeat=args.repeat)
            figures.append({"scenario": scenario, "user": username, **figure})

    staffing = staffing_figures(repeat=args.repeat)
    reports = []
    try:
        from bench.reports import measure_reports

        reports = measure_reports()
    except ImportError as error:
        reports = [{"scenario": "reports", "error": f"not measured: {error}"}]

    results = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "dataset": dataset_counts(),
        "seed_seconds": seed_seconds,
        "method": {"warmup_requests": args.warmup, "timed_requests": args.repeat, "client": "django.test.Client"},
        "units": {"seed_seconds": "s", "median_ms": "ms", "min_ms": "ms", "max_ms": "ms",
                  "queries": "SQL queries per request", "bytes": "response body bytes"},
        "figures": figures,
        "staffing": staffing,
        "reports": reports,
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


if __name__ == "__main__":
    main()
