"""Without Redis, tasks run in-process and quietly: no broker warnings in the log."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import django
django.setup()
from hospital_ops.celery import app

@app.task(name="probe")
def probe(value):
    return value + 1

print("result", probe.delay(41).get())
print("broker", app.conf.broker_url)
"""


def run_without_redis():
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PYTEST_VERSION"}}
    env["DJANGO_SETTINGS_MODULE"] = "hospital_ops.settings"
    return subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_an_eager_task_runs_without_a_broker_warning():
    result = run_without_redis()
    assert result.returncode == 0, result.stderr
    assert "result 42" in result.stdout
    assert "broker memory://" in result.stdout
    assert "No hostname was supplied" not in result.stderr
    assert "WARNING" not in result.stderr
