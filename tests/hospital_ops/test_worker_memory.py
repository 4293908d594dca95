"""A Celery worker replaces a child process that has grown past a memory ceiling."""

from hospital_ops.celery import app


def test_the_worker_replaces_a_child_past_its_memory_ceiling():
    assert 100_000 <= app.conf.worker_max_memory_per_child <= 2_000_000  # KiB
