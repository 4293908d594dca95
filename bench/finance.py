"""Finance figures on the large demo hospital (PostgreSQL), on an already seeded database:

    DATABASE_URL=postgres://…/<seeded db> .venv/bin/python bench/finance.py

Variance page for the whole hospital and for one department (median time of 5 requests after a warm-up,
and queries of one request), a ledger import of 100,000 generated lines (wall time and peak Python memory;
the batch is deleted afterwards), and labour cost of worked shifts for one month of the whole hospital, computed
and posted to the actuals (posting again replaces that month's batch).
Prints JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["SECURE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(STORAGES={  # static files without collectstatic's manifest, as bench/run.py does
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from finance import measures
    from finance.models import Account, LedgerBatch, LedgerLine, PayPolicy, Period
    from finance.services.actuals import import_ledger, post_labour_cost
    from records.models import Department

    users = get_user_model().objects
    results = {}
    client = Client()
    client.force_login(users.get(username="ops"))
    medicine = Department.objects.get(code="MED")
    for name, url in (("variance page, hospital", "/finance/variance/"),
                      ("variance page, Medicine", f"/finance/variance/?department={medicine.pk}")):
        client.get(url)
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        results[name] = {"status": response.status_code, "median_ms": round(statistics.median(times)),
                         "queries": len(queries.captured_queries)}

    if "--pages" in sys.argv:  # the variance pages only
        print(json.dumps(results, indent=2))
        return
    month = Period.objects.filter(is_closed=False).order_by("month").first().month
    departments = list(Department.objects.values_list("cost_centre", flat=True))
    # payroll on the accounts the rosters feed comes from posted labour cost, never the ledger extract
    accounts = list(Account.objects.filter(is_active=True).exclude(pk__in=PayPolicy.current().roster_account_ids)
                    .values_list("gl_code", flat=True))
    rows = [{"reference": f"B{n:06d}", "cost_centre": departments[n % len(departments)],
             "gl_code": accounts[n % len(accounts)], "posted_on": (month + dt.timedelta(days=n % 28)).isoformat(),
             "amount": f"{(n % 997) + 0.25:.2f}", "description": "Bench posting"} for n in range(100_000)]
    tracemalloc.start()
    start = time.perf_counter()
    outcome = import_ledger(actor=users.get(username="finance"), batch_id="BENCH-100K", rows=rows)
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results["ledger import, 100,000 lines"] = {"seconds": round(seconds, 1), "peak_python_mb": round(peak / 2**20),
                                               "added": outcome["added"]}
    start = time.perf_counter()
    again = import_ledger(actor=users.get(username="finance"), batch_id="BENCH-100K", rows=rows)
    results["ledger import again (idempotent)"] = {"seconds": round(time.perf_counter() - start, 1),
                                                   "added": again["added"]}
    LedgerLine.objects.filter(batch__batch_id="BENCH-100K").delete()
    LedgerBatch.objects.filter(batch_id="BENCH-100K").delete()

    last = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        cost = measures.labour_cost(start=first, end=last)
    total = sum(figures.total for figures in cost.values())
    results[f"labour cost, whole hospital, {first:%B %Y}"] = {
        "seconds": round(time.perf_counter() - start, 2), "queries": len(queries.captured_queries),
        "departments": len({d for d, _m in cost}), "total": str(total),
        "paid_hours": str(sum(figures.paid_hours for figures in cost.values())),
    }
    start = time.perf_counter()
    try:  # posting it again replaces the month's batch: the demo's figures stay as they were
        posted = post_labour_cost(actor=users.get(username="finance"), month=first)
    except ValidationError as error:
        posted = {"refused": " ".join(error.messages)}
    results[f"labour cost posted, whole hospital, {first:%B %Y}"] = {
        "seconds": round(time.perf_counter() - start, 2), **{k: str(v) for k, v in posted.items()}}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
