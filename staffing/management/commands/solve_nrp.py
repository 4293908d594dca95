import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from staffing.scheduler.bench import solve_instance


class Command(BaseCommand):
    help = (
        "Solve a nurse-rostering benchmark instance through the product (imported into a scratch unit that is "
        "rolled back), write the roster as CSV (employee_id,day,shift_id) and print one JSON line."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="An InstanceN.txt file.")
        parser.add_argument("--time-limit", type=float, default=60.0, help="Seconds (default 60).")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", type=Path, help="Where to write the roster CSV.")
        parser.add_argument("--deterministic", action="store_true",
                            help="Count the time limit in deterministic time, so a seed repeats its roster.")

    def handle(self, *args, path, time_limit, workers, seed, out, deterministic, **options):
        if not path.exists():
            raise CommandError(f"No file at {path}.")
        if not 0 < time_limit <= 3600:
            raise CommandError("The time limit is between 0 and 3600 seconds.")
        if not 1 <= workers <= 64:
            raise CommandError("Workers run from 1 to 64.")
        line, rows = solve_instance(path, time_limit=time_limit, workers=workers, seed=seed,
                                    deterministic=deterministic)
        if out is not None:
            with out.open("w", newline="") as handle:
                csv.writer(handle, lineterminator="\n").writerows(rows)
        self.stdout.write(json.dumps(line))
