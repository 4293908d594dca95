"""Housekeeping of the shared pieces."""

from celery import shared_task

from . import data_version


@shared_task
def forget_data_changes() -> int:
    """Nightly: a new data generation, so the record of changes behind cached pages stays small."""
    return data_version.prune()
