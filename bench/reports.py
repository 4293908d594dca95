"""Report building on the current database: the monthly board report and the compliance report for
the whole hospital, as a worker builds them (measures read, PDF rendered, and for the compliance report
the workbook of its full named list built in the same run), without Celery.

    from bench.reports import measure_reports
    rows = measure_reports()   # after django.setup(), on the large demo database

The PDF renderer is loaded first, as a worker process loads it when it starts. Wall time (and the
process's CPU time, which a busy machine inflates less) is taken on an untraced build; peak memory on a
second build traced with tracemalloc (Python allocations, including the rendered document). The growth
of the process's resident peak (ru_maxrss) over the first build is reported too, as the worker's
high-water mark.
"""

from __future__ import annotations

import gc
import resource
import time
import tracemalloc


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def measure_reports(period: str | None = None) -> list[dict]:
    from django.db import reset_queries
    from django.utils import timezone

    from reports import rendering, services
    from reports.models import ReportKind
    from reports.periods import Period, last_closed_month
    from reports.scope import Scope

    month = Period.parse(period) if period else last_closed_month(timezone.localdate())
    rendering.load_renderer()  # as a worker process does when it starts (reports.tasks): no report pays for it
    rows = []
    for kind, name in ((ReportKind.BOARD, "monthly board report"), (ReportKind.COMPLIANCE, "compliance report")):
        gc.collect()
        reset_queries()
        rss_before = _rss_mb()
        started, cpu = time.perf_counter(), time.process_time()  # timed untraced: tracemalloc slows Python
        content, pages, workbook = services.render_report_files(kind=kind, scope=Scope(None), period=month)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        rss_growth = _rss_mb() - rss_before
        gc.collect()
        tracemalloc.start()  # a second build, for the peak of Python allocations
        services.render_report_files(kind=kind, scope=Scope(None), period=month)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows.append({
            "scenario": f"{name} ({month.key}, whole hospital)",
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "peak_mb": round(peak / 2**20, 1),
            "rss_growth_mb": round(max(rss_growth, 0), 1),
            "pages": pages,
            "bytes": len(content),
            "workbook_bytes": len(workbook) if workbook else None,
        })
    return rows


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
    import django

    django.setup()
    for row in measure_reports(sys.argv[1] if len(sys.argv) > 1 else None):
        print(row)
