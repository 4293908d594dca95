"""Facilities background jobs. Tasks are thin: they call a service."""

from celery import shared_task

# Equipment and inspections -----------------------------------------------------------------------------


@shared_task
def open_due_maintenance() -> int:
    """Daily: open the preventive work orders due by today (safe to repeat or to run late)."""
    from .equipment_services import generate_preventive_work_orders

    return generate_preventive_work_orders()


@shared_task
def open_due_inspections() -> int:
    """Daily: open the scheduled inspections due by today (safe to repeat or to run late)."""
    from .inspection_services import generate_scheduled_inspections

    return generate_scheduled_inspections()


@shared_task
def escalate_overdue_actions() -> int:
    """Daily: e-mail owners and heads about corrective actions past due."""
    from .inspection_services import escalate_overdue_actions as escalate

    return escalate()
