"""Who may request, regenerate and schedule reports, and what each sees of a run.

Built on the roles of `records.access`; services, views, templates (`user|may:"reports.…"`) and the
API all ask here.
"""

from __future__ import annotations

from records.access import (
    BOARD_MEMBER,
    HEAD,
    acts_as,
    can_browse_people,
    can_manage_department,
    department_ids,
    departments_where,
    group_names,
    heads_of,
    is_board_only,
    is_finance_officer,
    is_hospital_wide,
    role_names,
)

# The roles reports build on, for its own modules.
__all__ = [
    "BOARD_MEMBER", "HEAD", "can_browse_people", "group_names", "heads_of", "is_board_only", "is_finance_officer",
    "is_hospital_wide", "role_names",
]


def can_see_reports(user) -> bool:
    """The reports archive: board members, managers, and department heads and schedulers."""
    return BOARD_MEMBER in group_names(user) or is_hospital_wide(user) or bool(department_ids(user))


def can_request_reports(user) -> bool:
    """Managers, and department heads for their departments."""
    return acts_as(user, HEAD)


def requestable_departments(user):
    """The departments the user may request reports on."""
    return departments_where(user, HEAD)


def can_report_on(user, department) -> bool:
    """A report on one department (None: the whole hospital): its heads and managers; the hospital: managers."""
    if department is None:
        return is_hospital_wide(user)
    return can_manage_department(user, department)


def can_request_run(user, run) -> bool:
    """Ask for a run again (regenerate): whoever may request that report on that scope."""
    return can_request_reports(user) and can_report_on(user, run.department)


def can_manage_report_schedules(user) -> bool:
    """Report schedules (what is built when, for whom): managers."""
    return is_hospital_wide(user)


def can_see_downloads(user) -> bool:
    """Who downloaded a report, and the file's checksum: everyone but board members."""
    return not is_board_only(user)


def can_see_checksum(user) -> bool:
    """A report file's SHA-256 is for those who check files against the archive: managers and administrators."""
    return is_hospital_wide(user)
