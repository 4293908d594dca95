"""A version of the data cached pages are drawn from, moved by the database itself.

Every statement that writes to a watched table (an insert, update, delete or truncate, whether it comes from
the ORM, a bulk load, the admin or raw SQL) records its transaction and the table's topic (its app: "records",
"staffing", "facilities", "auth") in DataChange through a statement-level trigger, inside the writing
transaction. A topic's version is (generation, how many recorded transactions of that topic are visible), all
topics read in one statement. While a generation lasts rows are only added, so each committed write moves its
topic's count and no version of a topic is seen twice. A page asks for the topics it is drawn from, so a bed
movement (facilities) does not redraw a roster that reads no census.

A page that reads the version *before* it reads its data, and caches what it drew under that version, only
ever serves what it would draw again: a write that committed after the version was read (and so may be in
the cached drawing, or not) has moved the version before anyone can read that version again.

`prune()` (nightly) starts a new generation and forgets the recorded transactions, in one transaction. After
restoring the database from a backup, run it once (`hospital_ops.tasks.forget_data_changes`) or empty the cache:
a restored database would count up through versions the cache has already seen.

PostgreSQL only: on SQLite, `current()` answers None and callers go without a cache. So does a transaction
that has itself written (its own changes are not yet anyone else's)."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from .models import DataChange, DataGeneration

# The apps whose tables feed cached pages (staff, their credentials and time off, rosters and their rules,
# beds and census), and the user table (names in history lines). Every table of these apps is watched,
# including tables added later (the triggers are laid again after each migrate).
WATCHED_APPS = ("records", "staffing", "facilities")
WATCHED_MODELS = (settings.AUTH_USER_MODEL,)
# Tables written when someone reads, that nothing is drawn from: the log of who looked at which stays (the bed
# board writes it on every refresh) and API tokens' last use. Watching them would redraw every page constantly.
UNWATCHED_MODELS = ("facilities.StayAccess", "records.ApiToken")
FUNCTION = "hospital_ops_data_changed"


def watched_tables() -> dict[str, str]:
    """The database tables the triggers watch, with their topics: every concrete table of the watched apps
    (their many-to-many tables included) and of the watched models, except the audit history tables (written
    together with the tables they audit) and the unwatched models."""
    models = [m for label in WATCHED_APPS for m in apps.get_app_config(label).get_models(include_auto_created=True)]
    models += [apps.get_model(label) for label in WATCHED_MODELS]
    unwatched = {apps.get_model(label)._meta.db_table for label in UNWATCHED_MODELS}
    return dict(sorted(
        (m._meta.db_table, m._meta.app_label) for m in models
        if not m._meta.proxy and m._meta.managed and not m.__name__.startswith("Historical")
        and m._meta.db_table not in unwatched
    ))


def install(using=connection) -> int:
    """Lay the function and one trigger per watched table (again: it may be run any number of times). PostgreSQL
    only; answers the number of tables watched (0 elsewhere)."""
    if using.vendor != "postgresql":
        return 0
    changes = DataChange._meta.db_table
    tables = watched_tables()
    with using.cursor() as cursor:
        for table in sorted({apps.get_model(label)._meta.db_table for label in UNWATCHED_MODELS}):
            cursor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {using.ops.quote_name(table)}")
        cursor.execute(f"""
            CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- once per transaction and topic: a setting local to the transaction (undone with a rolled back
                -- savepoint, as the row is) spares the later statements of a bulk load the insert
                IF current_setting('{FUNCTION}.' || TG_ARGV[0], true) IS DISTINCT FROM 'on' THEN
                    INSERT INTO {changes} (txid, topic) VALUES (txid_current(), TG_ARGV[0]) ON CONFLICT DO NOTHING;
                    PERFORM set_config('{FUNCTION}.' || TG_ARGV[0], 'on', true);
                END IF;
                RETURN NULL;
            END
            $$""")
        for table, topic in tables.items():
            name = using.ops.quote_name(table)
            cursor.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {name}")
            cursor.execute(
                f"CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {name} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{topic}')"
            )
    return len(tables)


def versions(using=connection) -> dict[str, str] | None:
    """Each topic's data version now ({topic: "generation.count"}, every watched topic present), or None where
    there is none to trust (SQLite, or a transaction that has written to a watched table itself)."""
    if using.vendor != "postgresql":
        return None
    changes = DataChange._meta.db_table
    with using.cursor() as cursor:
        cursor.execute(  # one statement: one snapshot for the generation and every count
            f"SELECT (SELECT coalesce(max(number), 0) FROM {DataGeneration._meta.db_table}), "
            f"EXISTS (SELECT 1 FROM {changes} WHERE txid = txid_current_if_assigned()), "
            f"(SELECT coalesce(json_object_agg(topic, n), '{{}}') FROM "
            f"(SELECT topic, count(*) AS n FROM {changes} GROUP BY topic) AS counted)::text"
        )
        generation, own, counts = cursor.fetchone()
    if own:
        return None
    counted = json.loads(counts)
    return {topic: f"{generation}.{counted.get(topic, 0)}" for topic in topics()}


def current(topics_wanted=None, using=connection) -> str | None:
    """The version of `topics_wanted` (all topics when None) as one text, or None (see `versions`)."""
    found = versions(using)
    if found is None:
        return None
    return "-".join(found[topic] for topic in (topics_wanted or sorted(found)))


def topics() -> list[str]:
    return sorted(set(WATCHED_APPS) | {apps.get_model(label)._meta.app_label for label in WATCHED_MODELS})


@transaction.atomic
def prune() -> int:
    """Start a new generation and forget the recorded changes (what versions were drawn from them are left to
    expire from the cache). Answers how many were forgotten."""
    latest = DataGeneration.objects.order_by("-number").values_list("number", flat=True).first() or 0
    DataGeneration.objects.create(number=latest + 1)
    DataGeneration.objects.filter(number__lte=latest).delete()
    forgotten, _ = DataChange.objects.all().delete()
    return forgotten


KEPT_SECONDS = 6 * 60 * 60


def kept(name: str, parts: tuple, build, *, topics=None, reads=lambda value: ()):
    """What `build()` answers, kept in the cache under `name`, `parts`, the code stamp and the versions of
    `topics` (all of them when None) until one of them moves; `reads(value)` names further topics the value
    turned out to read, whose versions are kept beside it and checked on each use. The versions are read before
    the data, so nothing is ever kept under versions older than it. Without versions (SQLite, or a transaction
    that has written) it is built every time."""
    found_versions = versions()
    if found_versions is None:
        return build()
    wanted = topics or sorted(found_versions)
    key = (f"{name}:{code_stamp()}:{'-'.join(found_versions[topic] for topic in wanted)}:"
           f"{':'.join(map(str, parts))}")
    found = cache.get(key)
    if found is not None:
        value, read = found
        if all(found_versions[topic] == version for topic, version in read.items()):
            return value
    value = build()
    cache.set(key, (value, {topic: found_versions[topic] for topic in reads(value)}), KEPT_SECONDS)
    return value


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A stamp of the code and templates that draw cached pages (and of the settings they read), so a new
    release never serves a drawing of the last one."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for path in sorted(p for pattern in ("*/*.py", "*/*/*.py", "templates/**/*.html") for p in root.glob(pattern)):
        if ".venv" in path.parts:
            continue
        stat = path.stat()
        digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for name in ("HOSPITAL_HOLIDAY_COUNTRY", "HOSPITAL_HOLIDAY_REGION", "TIME_ZONE", "LANGUAGE_CODE"):
        digest.update(f"{name}={getattr(settings, name, '')}".encode())
    return digest.hexdigest()[:12]
