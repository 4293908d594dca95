"""Races run for real: every call in its own thread with its own database connection, all released at
once by one barrier. Tests inspect each call's outcome: what it returned or the exception it raised."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

SPARE_CONNECTIONS = 10  # left for the test's own connection, the server's other clients and autovacuum


def race(*calls: Callable[[], Any], timeout: float = 120) -> list[Any]:
    """Start the calls at the same moment; return, in their order, each one's result or exception.
    A call still running after `timeout` seconds fails the test rather than hanging it."""
    barrier = threading.Barrier(len(calls), timeout=timeout)
    outcomes: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test inspects
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = sum(thread.is_alive() for thread in threads)
    assert not stuck, f"{stuck} of {len(calls)} racers were still running after {timeout} s"
    return outcomes


def require_connections(count: int) -> None:
    """Skip, saying why, when the PostgreSQL server cannot give `count` racers a connection each at once
    (its max_connections, less the reserved and the busy ones, is too small)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int,"
            " (SELECT count(*) FROM pg_stat_activity)"
        )
        most, reserved, busy = cursor.fetchone()
    free = most - reserved - busy
    if free < count + SPARE_CONNECTIONS:
        pytest.skip(
            f"{count} concurrent connections are needed but the server's max_connections is {most} "
            f"({reserved} reserved, {busy} in use, {free} free); raise max_connections to at least "
            f"{count + SPARE_CONNECTIONS + reserved + busy}"
        )
