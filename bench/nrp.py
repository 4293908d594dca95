"""The auto-scheduler on the nurse-rostering benchmark (../shared/nrp/instances), through the product's
own path: each instance is solved by `manage.py solve_nrp` in a process of its own, on a scratch SQLite
database. Writes bench/nrp.json (score, hard violations, seconds, gap to the best known score).

    .venv/bin/python bench/nrp.py                         # Instance1-10, 60 s each, 2 workers
    .venv/bin/python bench/nrp.py --time-limit 10 --instances 1 2 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "nrp.json"
INSTANCES = ROOT.parent / "shared" / "nrp" / "instances"
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1300, 9: 439, 10: 4631}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--instances", type=int, nargs="*", default=list(range(1, 11)))
    parser.add_argument("--dir", type=Path, default=INSTANCES)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()

    env = dict(os.environ, SQLITE_PATH=os.environ.get("NRP_SQLITE_PATH", "/tmp/hospital_ops_nrp_bench.sqlite3"))
    env.pop("DATABASE_URL", None)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    rows = []
    for number in args.instances:
        path = args.dir / f"Instance{number}.txt"
        if not path.exists():
            print(f"Instance{number}: no file at {path}", file=sys.stderr)
            continue
        done = subprocess.run(
            [python, "manage.py", "solve_nrp", str(path), "--time-limit", str(args.time_limit),
             "--workers", str(args.workers), "--seed", str(args.seed)],
            cwd=ROOT, env=env, check=True, capture_output=True, text=True,
        )
        line = json.loads(done.stdout.strip().splitlines()[-1])
        best = BEST_KNOWN.get(number)
        if line.get("score") is not None and best:
            line["best_known"] = best
            line["gap"] = round((line["score"] - best) / best, 4)
        rows.append(line)
        print(json.dumps(line), flush=True)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average": os.getloadavg()},
        "time_limit": args.time_limit, "workers": args.workers, "seed": args.seed,
        "instances": rows,
    }
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
