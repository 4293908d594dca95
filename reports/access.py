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


# Which reports each department role may build on its own departments (with their units); managers build
# every report on any scope. A clinical director heads a top-level department, so builds a report for it and
# all its units; a unit head for that unit. Board members read the finished board reports and build none.
REQUESTING_ROLES: dict[str, tuple[str, ...]] = {
    "board": (HEAD,),
    "compliance": (HEAD,),
    "activity": (HEAD,),
    "variance": (HEAD,),
    "utilisation": (HEAD,),  # beds and census of the head's inpatient units
    "facilities": (HEAD,),  # equipment, work orders, maintenance and modifications of the head's departments
}


def can_request_kind(user, kind: str, department=None) -> bool:
    """Build a report of this kind: on one department (None: anywhere the user may report at all), by the
    roles REQUESTING_ROLES names for it there, or by a manager."""
    if is_hospital_wide(user):
        return kind in REQUESTING_ROLES
    roles = REQUESTING_ROLES.get(kind, ())
    if not roles:
        return False
    if department is None:
        return bool(department_ids(user, *roles))
    return department.pk in department_ids(user, *roles)


def requestable_kinds(user) -> list[str]:
    """The report kinds the user may build somewhere, in the order REQUESTING_ROLES lists them."""
    return [kind for kind in REQUESTING_ROLES if can_request_kind(user, kind)]


def can_request_run(user, run) -> bool:
    """Ask for a run again (regenerate): whoever may request that report on that scope."""
    return (can_request_reports(user) and can_report_on(user, run.department)
            and can_request_kind(user, run.kind, run.department))


def can_manage_report_schedules(user) -> bool:
    """Report schedules (what is built when, for whom): managers."""
    return is_hospital_wide(user)


def can_see_downloads(user) -> bool:
    """Who downloaded a report, and the file's checksum: everyone but board members."""
    return not is_board_only(user)


def can_see_checksum(user) -> bool:
    """A report file's SHA-256 is for those who check files against the archive: managers and administrators."""
    return is_hospital_wide(user)
