from celery import shared_task

from . import services


@shared_task
def close_departed_employees() -> int:
    return services.close_departed_employees()
