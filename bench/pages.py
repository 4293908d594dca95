"""Every HTML page, as each role reaches it, on a database already seeded at large scale (after `make bench`):

    .venv/bin/python bench/pages.py [--repeat 5] [--per-role 200]      (or `make bench-pages`)

Signed in as each demo role, it follows the links of the pages it can see, from the home page outward, and
measures one page of each kind (the same URL with other ids is the same kind: the first one found, which for
lists and rosters is the fullest the role sees first): 1 untimed request, then `--repeat` timed ones (median
and CPU median), and the SQL queries of one more. Downloads, exports, print views, the API, the admin and
sign-out are left out (the main bench measures the heavy ones). Writes bench/pages.json with every page and
the pages over the issue's limits (15 queries, 150 ms); not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

import run as bench_run  # noqa: E402 - the main bench's settings and helpers

ROLES = ("ops", "head", "head.surgery", "scheduler", "finance", "board", "inspector", "technician", "evs", "staff")
SKIPPED = ("/accounts/logout", "/export", "/admin", "/api/", "/download", ".ics", "/print", "/static/", "/media/",
           "/calendar/", ".pdf", ".xlsx", ".csv")
QUERY_LIMIT, MS_LIMIT = 15, 150
LINK = re.compile(r'href="(/[^"#?]*)"')


def kind_of(url: str) -> str:
    return re.sub(r"\d+", "N", url)


def crawl(username: str, *, repeat: int, per_role: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    queue, kinds, rows = deque(["/"]), {"/"}, []
    while queue and len(rows) < per_role:
        url = queue.popleft()
        first = client.get(url)
        if first.status_code != 200 or "text/html" not in first.get("Content-Type", ""):
            continue
        times, cpu = [], []
        for _ in range(repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        rows.append({"user": username, "url": url, "kind": kind_of(url),
                     "median_ms": round(statistics.median(times), 1), "cpu_ms": round(statistics.median(cpu), 1),
                     "queries": len(queries), "bytes": len(response.content)})
        for link in LINK.findall(response.content.decode(errors="ignore")):
            if any(part in link for part in SKIPPED) or kind_of(link) in kinds:
                continue
            kinds.add(kind_of(link))
            queue.append(link)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-role", type=int, default=200, help="At most this many pages per role.")
    parser.add_argument("--out", default=str(ROOT / "pages.json"))
    args = parser.parse_args()
    bench_run.configure_environment()
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(STORAGES={  # static files without collectstatic's manifest, as bench/run.py does
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()

    load_before = bench_run.load_average()
    pages = []
    for username in ROLES:
        found = crawl(username, repeat=args.repeat, per_role=args.per_role)
        print(f"{username:<13} {len(found)} pages", flush=True)
        pages += found
    over = [p for p in pages if p["queries"] > QUERY_LIMIT or p["median_ms"] > MS_LIMIT]
    results = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_before": load_before, "load_after": bench_run.load_average(),
        "method": {"timed_requests": args.repeat, "client": "django.test.Client", "limits": {
            "queries": QUERY_LIMIT, "median_ms": MS_LIMIT}},
        "pages_measured": len(pages),
        "most_queries": max(pages, key=lambda p: p["queries"]) if pages else None,
        "slowest": sorted(pages, key=lambda p: -p["median_ms"])[:10],
        "over_limits": over,
        "pages": pages,
    }
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    print(f"{len(pages)} page/role pairs; {len(over)} over {QUERY_LIMIT} queries or {MS_LIMIT} ms:")
    for page in over:
        print(f"  {page['user']:<13} {page['url']:<55} {page['queries']:>3} queries {page['median_ms']:>8} ms")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
