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

SERVER_PORT = 8101  # gunicorn of `--load`, on 127.0.0.1 only


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


def _body_size(response) -> int:
    """Read the whole body (a streamed download to its end) and say how long it was."""
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def measure(client, url: str, *, warmup: int, repeat: int, memory: bool = False, change: tuple = ("", ())) -> dict:
    """Median server time of `repeat` requests after `warmup` (the body read to its end), the queries of
    one more request and, for downloads, the peak of Python allocations while one is streamed. `change`
    (SQL, parameters) is run before each request, outside the timing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def changed():
        if change[0]:
            with connection.cursor() as cursor:
                cursor.execute(*change)

    def get():
        changed()
        return client.get(url)

    figure: dict = {"url": url, "status": None, "median_ms": None, "min_ms": None, "max_ms": None, "queries": None}
    try:
        for _ in range(warmup):
            response = get()
            _body_size(response)
            figure["status"] = response.status_code
            if response.status_code != 200:
                return figure
        timings, cpu = [], []
        for _ in range(repeat):
            changed()
            started, cpu_started = time.perf_counter(), time.process_time()
            _body_size(client.get(url))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        changed()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            size = _body_size(response)
        query_count = len(queries)  # counted now: the next request's start clears the connection's query log
        if memory:
            import tracemalloc

            tracemalloc.start()
            _body_size(get())
            figure["peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
    except Exception as error:  # noqa: BLE001 - a broken page is a result to report, not a reason to stop
        figure["error"] = f"{type(error).__name__}: {error}"
        return figure
    figure.update(
        median_ms=round(statistics.median(timings), 1),
        cpu_ms=round(statistics.median(cpu), 1),
        min_ms=round(min(timings), 1),
        max_ms=round(max(timings), 1),
        queries=query_count,
        bytes=size,
        streamed=bool(getattr(response, "streaming", False)),
    )
    return figure


def sql_floor(sql: str, params: tuple, *, repeat: int) -> float | None:
    """Median ms of running `sql` and fetching every row, on the connection the pages use."""
    from django.db import connection

    if not sql:
        return None
    timings = []
    with connection.cursor() as cursor:
        for n in range(repeat + 2):
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            if n >= 2:  # two untimed runs warm the cache and the plan, as the pages' warm-up does
                timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 2)


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


def load_average() -> dict:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2),
            "cpu_count": os.cpu_count()}


def print_table(results: dict) -> None:
    print()
    print(f"seed_demo --scale large: {results['seed_seconds']} s, then ANALYZE" if results["seed_seconds"] is not None
          else "seed_demo: not run (--reuse: measured on the previous run's data, after ANALYZE)")
    print(", ".join(f"{count} {name.replace('_', ' ')}" for name, count in results["dataset"].items()))
    print("picked: " + ", ".join(f"{k}={v}" for k, v in results["picked"].items()))
    print(f"machine load before / after: {results['load_before']} / {results['load_after']}")
    print()
    header = (f"{'scenario':<30} {'user':<5} {'status':>6} {'median ms':>9} {'cpu ms':>7} {'queries':>7} "
              f"{'floor ms':>8} {'ratio':>6} {'KB':>7} {'peak MB':>7}")
    print(header)
    print("-" * len(header))

    def cell(value, width):
        return f"{'-' if value is None else value:>{width}}"

    for row in results["figures"]:
        kb = None if row.get("bytes") is None else round(row["bytes"] / 1024)
        print(
            f"{row['scenario']:<30} {row['user']:<5} {cell(row['status'], 6)} {cell(row['median_ms'], 9)} "
            f"{cell(row.get('cpu_ms'), 7)} {cell(row['queries'], 7)} {cell(row.get('floor_ms'), 8)} "
            f"{cell(row.get('ratio'), 6)} {cell(kb, 7)} {cell(row.get('peak_mb'), 7)}"
        )
        if row.get("error"):
            print(f"    {row['error']}")
    print()
    for section in ("staffing", "reports", "load"):
        for row in results.get(section) or []:
            print(f"{section}: " + ", ".join(f"{k}={v}" for k, v in row.items() if v is not None and k != "url"))
    print()
    print(f"written to {RESULTS.relative_to(ROOT)}")


def analyze() -> float:
    """Fresh planner statistics, as a database has after autovacuum; returns the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuse", action="store_true", help="Keep the bench database of the last run (no seeding).")
    parser.add_argument("--repeat", type=int, default=20, help="Timed requests per figure (default 20).")
    parser.add_argument("--warmup", type=int, default=2, help="Untimed requests first (default 2).")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", default="", help="Measure only scenarios whose name contains this text.")
    parser.add_argument("--skip-reports", action="store_true", help="Leave out the two PDF reports.")
    parser.add_argument("--load", action="store_true",
                        help="Instead of the request figures: wrk against gunicorn (see bench/load.py).")
    parser.add_argument("--duration", type=int, default=60, help="Seconds of each wrk run (default 60).")
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

    load_before = load_average()
    call_command("migrate", verbosity=0)
    seed_seconds = None
    if not args.reuse:
        output = io.StringIO()
        started = time.perf_counter()
        call_command("seed_demo", scale="large", seed=args.seed, stdout=output)
        seed_seconds = round(time.perf_counter() - started, 1)
        print(output.getvalue().rstrip())
    analyze_seconds = analyze()

    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.load:
        from bench.load import run_load

        results = previous | {"load": run_load(port=SERVER_PORT, duration=args.duration, previous=previous),
                              "load_machine": load_average(), "load_timestamp": datetime.now(UTC).isoformat()}
        RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
        for row in results["load"]:
            print("load: " + ", ".join(f"{k}={v}" for k, v in row.items() if v is not None))
        return

    from bench.scenarios import build

    users = get_user_model().objects.in_bulk(["ops", "head"], field_name="username")
    scenarios, picked = build(users)
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    figures = []
    for scenario in scenarios:
        if args.only and args.only not in scenario.name:
            continue
        figure = measure(clients[scenario.user], scenario.url, warmup=args.warmup, repeat=args.repeat,
                         memory=scenario.stream, change=(scenario.change_sql, scenario.change_params))
        floor = sql_floor(scenario.floor_sql, scenario.floor_params, repeat=max(5, args.repeat // 2))
        ratio = round(figure["median_ms"] / floor, 1) if floor and figure.get("median_ms") else None
        row = {"scenario": scenario.name, "user": scenario.user, **figure, "floor_ms": floor, "ratio": ratio}
        if scenario.note:
            row["note"] = scenario.note
        figures.append(row)
        print(f"{scenario.name:<30} {scenario.user:<5} {figure.get('median_ms')} ms, {figure.get('queries')} "
              f"queries, floor {floor} ms", flush=True)

    if args.only and previous.get("figures"):  # measured again: replace those rows of the last run's results
        again = {(row["scenario"], row["user"]): row for row in figures}
        kept = [again.pop((row["scenario"], row["user"]), row) for row in previous["figures"]]
        figures = kept + list(again.values())
        results = previous | {"figures": figures, "remeasured": {
            "only": args.only, "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
            "load_before": load_before, "load_after": load_average()}}
        RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
        print_table(results)
        return
    staffing = [] if args.only else staffing_figures(repeat=args.repeat)
    reports = []
    if not args.skip_reports and not args.only:
        from bench.reports import measure_reports

        reports = measure_reports()

    results = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "load_before": load_before,
        "load_after": load_average(),
        "dataset": dataset_counts(),
        "seed_seconds": seed_seconds,
        "seeded_in_this_run": not args.reuse,
        "analyze_seconds": analyze_seconds,
        "picked": picked,
        "method": {"warmup_requests": args.warmup, "timed_requests": args.repeat, "client": "django.test.Client",
                   "floor": "median of running the bare SQL and fetching its rows on the same connection"},
        "units": {"seed_seconds": "s", "median_ms": "ms", "cpu_ms": "ms of this process's CPU (median)",
                  "min_ms": "ms", "max_ms": "ms", "floor_ms": "ms",
                  "ratio": "median_ms / floor_ms", "queries": "SQL queries per request",
                  "bytes": "response body bytes", "peak_mb": "peak Python allocations while streaming, MB"},
        "figures": figures,
        "staffing": staffing,
        "reports": reports,
        "load": previous.get("load"),
    }
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_table(results)


if __name__ == "__main__":
    main()
