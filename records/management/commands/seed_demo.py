"""Build a demo hospital, the same one for the same seed.

Each app adds its part with a `demo.py` module next to its models: `STEPS`, a list of functions
taking the shared `records.demo.DemoContext`, and optionally `flush()`, which deletes that app's
data. Steps run app by app in INSTALLED_APPS order (records first, so later apps find departments,
employees and logins in `ctx.data`); flushes run in the reverse order.
"""

import importlib
import importlib.util
import random
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from records import demo


def demo_modules() -> list:
    """The `demo` modules of this project's apps, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = (
        "Build a believable demo hospital, deterministically from --seed. "
        "--scale small: about 10 departments and 150 employees, for trying the suite. "
        "--scale large: about 40 departments and 3,000 employees, the performance dataset. "
        "Rows are written with bulk inserts; people records get their history rows at both scales "
        "(as with bulk_create_with_history). A step whose volume makes history too slow at large "
        "scale writes plain bulk inserts there and says so in its output. "
        f"Every demo login uses the password {demo.DEMO_PASSWORD!r}."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=["small", "large"], default="small")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has departments, employees or demo logins.",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="First delete people records (departments, employees, catalogues, API tokens), the data "
            "of later apps that hangs on them, and the demo logins.",
        )

    def handle(self, *args, scale, seed, if_empty, flush, verbosity, **options):
        if if_empty and demo.has_data():
            if verbosity:
                self.stdout.write("Demo data not loaded: the database already has data.")
            return
        if demo.has_data() and not flush:
            raise CommandError(
                "The database already has departments, employees or demo logins. "
                "Use --flush to replace them with demo data, or --if-empty to skip."
            )
        modules = demo_modules()
        log = self.stdout.write if verbosity else (lambda message: None)
        started = time.perf_counter()
        ctx = demo.DemoContext(scale=scale, rng=random.Random(seed), today=timezone.localdate(), log=log)
        with transaction.atomic():
            if flush:
                for module in reversed(modules):
                    if hasattr(module, "flush"):
                        module.flush()
                log("existing data flushed")
            for module in modules:
                for step in getattr(module, "STEPS", []):
                    step(ctx)
        elapsed = time.perf_counter() - started
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Demo hospital ({scale}, seed {seed}) built in {elapsed:.1f} s. ")
                + f"Sign in as {', '.join(demo.DEMO_LOGINS[:-1])} or {demo.DEMO_LOGINS[-1]} "
                f"with the password {demo.DEMO_PASSWORD}."
            )
