"""Bed figures on a database already seeded at large scale (`seed_demo --scale large`), on PostgreSQL:

    DATABASE_URL=postgres://…/<db> .venv/bin/python bench/beds.py [--events 600] [--port 2603]

- the bed board for the whole hospital (as `ops`): median time and SQL queries of one request;
- census and utilisation measures for every bed over the last two years: time;
- ADT ingest over REST and over MLLP: events per second, and a check that every event sent is stored
  once and applied once (new encounters: pre-admit, update, cancel-admit, so no bed is needed).

It adds encounters to the database it measures (prefixed BENCH-); it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-any-real-deployment")
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    os.environ["SECURE"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital_ops.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import override_settings

    override_settings(STORAGES={  # static files without collectstatic's manifest, as bench/run.py does
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()


def timed(call, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def board(repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username="ops"))
    client.get("/facilities/beds/board/")
    times = timed(lambda: client.get("/facilities/beds/board/"), repeat)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/facilities/beds/board/")
    from facilities.models import Bed

    return {"beds": Bed.objects.filter(is_active=True).count(), "median_ms": round(statistics.median(times), 1),
            "queries": len(queries), "status": response.status_code, "bytes": len(response.content)}


def measures() -> dict:
    from django.utils import timezone

    from facilities import census
    from facilities.models import Bed, BedOccupancy

    end = timezone.localdate() - dt.timedelta(days=1)
    start = end - dt.timedelta(days=729)
    started = time.perf_counter()
    units, whole = census.utilisation(start=start, end=end)
    seconds = time.perf_counter() - started
    return {"beds": Bed.objects.count(), "occupancies": BedOccupancy.objects.count(), "days": 730,
            "units": len(units), "seconds": round(seconds, 2), "patient_days": whole.patient_days,
            "staffed_bed_days": whole.staffed_bed_days, "occupancy_staffed_pct": str(whole.occupancy_staffed),
            "alos": str(whole.average_length_of_stay)}


def _events(prefix: str, count: int, unit: str):
    from django.utils import timezone

    base = timezone.now() - dt.timedelta(hours=2)
    for n in range(count // 3):
        encounter = f"{prefix}{n:06d}"
        for k, kind in enumerate(("pre-admit", "update", "cancel-admit")):
            yield encounter, kind, f"{encounter}-{k}", base + dt.timedelta(seconds=k), f"{prefix}M{n:06d}", unit


def rest_ingest(count: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from facilities.models import AdtEvent
    from records.models import ApiToken

    user = get_user_model().objects.get(username="ops")
    token = ApiToken(name="bench", user=user, scopes={"facilities": "write"})
    key = token.generate_key()
    token.save()
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    prefix = f"BENCH-R{int(time.time())}-"
    sent = list(_events(prefix, count, "MED-4W"))
    started = time.perf_counter()
    codes = []
    for encounter, kind, event_id, moment, mrn, unit in sent:
        body = {"event": kind, "event_id": event_id, "event_time": moment.isoformat(), "encounter_number": encounter,
                "mrn": mrn, "unit": unit, "expected_discharge": "2030-01-01"}
        codes.append(client.post("/api/v1/facilities/adt/", body, content_type="application/json").status_code)
    seconds = time.perf_counter() - started
    token.delete()
    stored = AdtEvent.objects.filter(sender_event_id__startswith=prefix)
    return {"events": len(sent), "seconds": round(seconds, 2), "events_per_s": round(len(sent) / seconds, 1),
            "stored": stored.count(), "applied": stored.filter(outcome="applied").count(),
            "non_201": sum(code != 201 for code in codes)}


def mllp_ingest(count: int, port: int) -> dict:
    import asyncio

    from hl7.client import MLLPClient

    from facilities import hl7 as listener
    from facilities.models import AdtEvent

    loop, ready, stop_holder = asyncio.new_event_loop(), threading.Event(), {}

    def run():
        asyncio.set_event_loop(loop)

        async def main():
            stop_holder["stop"] = asyncio.Event()
            started = asyncio.Event()
            task = asyncio.ensure_future(listener.serve("127.0.0.1", port, ready=started, stop=stop_holder["stop"]))
            await started.wait()
            ready.set()
            await task

        loop.run_until_complete(main())

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    triggers = {"pre-admit": "A04", "update": "A08", "cancel-admit": "A11"}
    prefix = f"BENCH-H{int(time.time())}-"
    sent = list(_events(prefix, count, "MED-4W"))
    acks = []
    started = time.perf_counter()
    with MLLPClient("127.0.0.1", port) as client:
        for encounter, kind, event_id, moment, mrn, unit in sent:
            stamp = moment.strftime("%Y%m%d%H%M%S%z")
            text = "\r".join([
                f"MSH|^~\\&|BENCH|HOSP|HOPS|HOSP|{stamp}||ADT^{triggers[kind]}|{event_id}|P|2.5.1",
                f"EVN|{triggers[kind]}|{stamp}", f"PID|1||{mrn}^^^HOSP^MR",
                f"PV1|1|I|{unit}||||||||||||||||{encounter}",
            ])
            acks.append(client.send_message(text))
    seconds = time.perf_counter() - started
    loop.call_soon_threadsafe(stop_holder["stop"].set)
    thread.join(10)
    stored = AdtEvent.objects.filter(sender_event_id__startswith=f"BENCH:{prefix}")
    return {"events": len(sent), "seconds": round(seconds, 2), "events_per_s": round(len(sent) / seconds, 1),
            "stored": stored.count(), "applied": stored.filter(outcome="applied").count(),
            "acks_aa": sum(b"MSA|AA|" in ack for ack in acks)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--port", type=int, default=2603)
    parser.add_argument("--repeat", type=int, default=10)
    options = parser.parse_args()
    setup()
    results = {"bed_board_whole_hospital": board(options.repeat), "census_two_years": measures(),
               "adt_rest": rest_ingest(options.events), "adt_mllp": mllp_ingest(options.events, options.port)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
