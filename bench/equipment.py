"""Equipment figures on the large demo hospital (run after `seed_demo --scale large` on PostgreSQL):
the equipment list and utilisation pages (time and queries), preventive-maintenance generation for every
asset, and a year of usage sessions imported. Writes are rolled back, so the database is left as it was.

    DATABASE_URL=postgres://... .venv/bin/python bench/equipment.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from facilities import equipment_selectors, equipment_services  # noqa: E402
from facilities.models import Asset, UsageSession, WorkOrder  # noqa: E402
from facilities.views.equipment import parse_usage_csv  # noqa: E402


class Rollback(Exception):
    pass


def page(username: str, url: str, repeat: int = 5) -> dict:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    row = {"url": url, "user": username, "status": response.status_code, "median_ms": round(statistics.median(times)),
            "queries": len(queries)}
    print(row, flush=True)
    return row


def timed(label: str, work) -> dict:
    started = time.perf_counter()
    try:
        with transaction.atomic():
            result = work()
            raise Rollback
    except Rollback:
        pass
    row = {"figure": label, "seconds": round(time.perf_counter() - started, 2), "result": result}
    print(row, flush=True)
    return row


def main() -> None:
    today = equipment_selectors.today()
    year_ago = today - dt.timedelta(days=365)
    figures = [
        page("ops", "/facilities/equipment/"),
        page("head", "/facilities/equipment/"),
        page("ops", "/facilities/equipment/?q=pump&status=in_service"),
        page("ops", "/facilities/utilisation/"),
        page("ops", f"/facilities/utilisation/?by=asset&grain=month&start={year_ago}&end={today}"),
        page("ops", "/facilities/work-orders/?open=true"),
    ]
    assets = Asset.objects.exclude(status=Asset.Status.RETIRED).count()
    # a day far enough ahead that every plan has a due date no work order exists for yet
    ahead = today + dt.timedelta(days=400)
    figures.append(timed(f"PM generation for {assets} assets",
                         lambda: equipment_services.generate_preventive_work_orders(day=ahead)))
    sessions = list(UsageSession.objects.filter(starts_at__date__gte=year_ago).select_related("asset")
                    .order_by("asset_id", "starts_at"))
    lines = [f"NEW-{s.pk},{s.asset.tag},{s.starts_at.isoformat()},{s.ends_at.isoformat()},{s.exam_type}"
             for s in sessions]
    ops = get_user_model().objects.get(username="ops")

    def reimport():
        UsageSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
        totals = {"created": 0, "skipped": 0}
        for at in range(0, len(lines), 100_000):  # files of 100,000 sessions, as a RIS would send a month or so
            text = "\n".join(["sender_id,asset_tag,start,end,exam_type", *lines[at:at + 100_000]])
            result = equipment_services.record_usage_sessions(actor=ops, rows=parse_usage_csv(text, ops))
            totals = {key: totals[key] + result[key] for key in totals}
        return totals

    figures.append(timed(f"a year of sessions imported ({len(sessions)} rows, CSV parse + store)", reimport))
    figures.append({"work_orders": WorkOrder.objects.count(), "assets": Asset.objects.count(),
                    "sessions": UsageSession.objects.count()})
    print(figures[-1])


if __name__ == "__main__":
    main()
