"""Load: wrk against gunicorn, started and stopped here on 127.0.0.1, DEBUG off, as in docker-compose.

    .venv/bin/python bench/run.py --reuse --load      # (make bench-load) after a `make bench`

For each list it first measures one connection alone (wrk -c1: the single-request time through the
server), then 50 connections for `duration` seconds. What the single-request time allows is
`min(workers, CPUs) × 1000 / single ms` requests a second; the figure reports the throughput reached, its
share of that, non-2xx answers, socket errors and timeouts. The API is called with a read-only token of
the operations manager, made for the run and deleted after it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 3  # as docker-compose.yml runs gunicorn
TARGETS = [
    ("API employee list", "/api/v1/records/employees/?page_size=50"),
    ("API assignments list", "/api/v1/staffing/assignments/?page_size=50"),
]


def _token() -> tuple[object, str]:
    from django.contrib.auth import get_user_model

    from records.models import ApiToken

    user = get_user_model().objects.get(username="ops")
    token = ApiToken(name="Bench load (deleted after the run)", user=user,
                     scopes={"records": "read", "staffing": "read"})
    key = token.generate_key()
    token.save()
    return token, key


def _start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "LOG_LEVEL": "WARNING"}
    command = [str(Path(sys.executable).with_name("gunicorn")), "hospital_ops.wsgi", "-b", f"127.0.0.1:{port}",
               "--workers", str(WORKERS), "--timeout", "60", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    _stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 60 s")


def _stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _wrk(url: str, key: str, *, connections: int, duration: int) -> dict:
    command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout",
               "10s", "-H", f"Authorization: Token {key}", url]
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    figure = {"connections": connections, "seconds": duration}
    if found := re.search(r"Requests/sec:\s+([\d.]+)", output):
        figure["requests_per_s"] = float(found.group(1))
    if found := re.search(r"(\d+) requests in", output):
        figure["requests"] = int(found.group(1))
    if found := re.search(r"Latency\s+([\d.]+)(us|ms|s)", output):
        figure["latency_avg_ms"] = round(_ms(*found.groups()), 1)
    for percentile in ("50", "99"):
        if found := re.search(rf"\s{percentile}%\s+([\d.]+)(us|ms|s|m)", output):
            figure[f"latency_p{percentile}_ms"] = round(_ms(*found.groups()), 1)
    found = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figure["non_2xx"] = int(found.group(1)) if found else 0
    found = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    figure["socket_errors"] = sum(int(n) for n in found.groups()[:3]) if found else 0
    figure["timeouts"] = int(found.group(4)) if found else 0
    return figure


def run_load(*, port: int, duration: int, previous: dict | None = None) -> list[dict]:
    token, key = _token()
    server = _start_server(port)
    rows = []
    try:
        for name, path in TARGETS:
            url = f"http://127.0.0.1:{port}{path}"
            _wrk(url, key, connections=WORKERS, duration=5)  # warm every worker
            single = _wrk(url, key, connections=1, duration=10)
            loaded = _wrk(url, key, connections=50, duration=duration)
            single_ms = single.get("latency_avg_ms")
            usable = min(WORKERS, os.cpu_count() or 1)
            allowed = round(usable * 1000 / single_ms, 1) if single_ms else None
            achieved = loaded.get("requests_per_s")
            rows.append({
                "scenario": f"{name} under wrk -c50 -d{duration}s", "url": path, "workers": WORKERS,
                "cpus": os.cpu_count(), "single_request_ms": single_ms, "allowed_rps": allowed,
                "achieved_rps": achieved, "share_of_allowed": round(achieved / allowed, 2) if allowed and achieved
                else None, **{f"load_{k}": v for k, v in loaded.items()},
            })
    finally:
        _stop_server(server)
        token.delete()
    return rows
