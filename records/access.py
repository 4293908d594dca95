"""Who may see and act where. Every app scopes its querysets and checks its rights through these.

Hospital-wide roles are Django groups; department roles (head, scheduler) are Membership rows and
cover the department's whole subtree of units. Results are cached on the user object, so one
request asks the database once whatever the number of rows it renders.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

ALL = object()  # sentinel: no department restriction

ADMINISTRATOR = "Administrator"
OPERATIONS_MANAGER = "Operations manager"
FINANCE_OFFICER = "Finance officer"
BOARD_MEMBER = "Board member"
HOSPITAL_GROUPS = (OPERATIONS_MANAGER, FINANCE_OFFICER, BOARD_MEMBER)

HEAD = "head"
SCHEDULER = "scheduler"
STAFF = "staff"


def _groups(user) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_hospital_groups"):
        user._hospital_groups = frozenset(user.groups.values_list("name", flat=True))
    return user._hospital_groups


def _department_roles(user) -> dict[str, frozenset[int]]:
    """{role: department ids, subtrees included} for the user's memberships."""
    if not user.is_authenticated:
        return {}
    if not hasattr(user, "_hospital_department_roles"):
        from .models import Department, Membership

        rows = list(Membership.objects.filter(user=user).values_list("role", "department__path"))
        by_role: dict[str, frozenset[int]] = {}
        if rows:
            subtree = list(
                Department.objects.filter(
                    _any_prefix([path for _, path in rows])
                ).values_list("pk", "path")
            )
            for role in {role for role, _ in rows}:
                prefixes = tuple(path for r, path in rows if r == role)
                by_role[role] = frozenset(pk for pk, path in subtree if path.startswith(prefixes))
        user._hospital_department_roles = by_role
    return user._hospital_department_roles


def _any_prefix(paths):
    from django.db.models import Q

    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def group_names(user) -> frozenset[str]:
    """The user's hospital-wide roles (Django group names)."""
    return _groups(user)


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in _groups(user))


def is_hospital_wide(user) -> bool:
    """Administrators and operations managers see every department."""
    return is_administrator(user) or OPERATIONS_MANAGER in _groups(user)


def is_finance_officer(user) -> bool:
    return FINANCE_OFFICER in _groups(user)


def is_board_only(user) -> bool:
    """A board member with no other role sees reports and nothing else."""
    return (
        BOARD_MEMBER in _groups(user)
        and not is_hospital_wide(user)
        and not is_finance_officer(user)
        and not _department_roles(user)
    )


def department_ids(user, *roles: str) -> frozenset[int]:
    """Departments (with their units) where the user holds one of `roles` (all roles if none given)."""
    held = _department_roles(user)
    wanted = roles or tuple(held)
    return frozenset().union(*(held.get(role, frozenset()) for role in wanted))


def visible_department_ids(user, *, include_finance: bool = False):
    """ALL, or the department ids whose records the user may read."""
    if is_hospital_wide(user) or (include_finance and is_finance_officer(user)):
        return ALL
    return department_ids(user)


def can_manage_department(user, department) -> bool:
    """Create and edit people records in this department: heads (of it or a parent) and managers."""
    return is_hospital_wide(user) or department.pk in department_ids(user, HEAD)


def can_edit_employee(user, employee) -> bool:
    """Change a person's record, skills and credentials: whoever manages their department, except
    on their own record (a head does not set their own pay or qualifications); managers may."""
    if not can_manage_department(user, employee.department):
        return False
    return employee.user_id != user.pk or is_hospital_wide(user)


def can_see_pay(user, employee) -> bool:
    """Hourly rates: those who manage the person's department, and the person themselves."""
    return employee.user_id == user.pk or can_manage_department(user, employee.department)


def can_schedule(user, department) -> bool:
    """Draft rosters and submit them: its schedulers, its heads and managers."""
    return is_hospital_wide(user) or department.pk in department_ids(user, HEAD, SCHEDULER)


def can_create_department(user, parent) -> bool:
    if is_hospital_wide(user):
        return True
    return parent is not None and parent.pk in department_ids(user, HEAD)


def can_manage_catalogue(user) -> bool:
    """Skills, job titles and credential types are hospital-wide lists kept by managers and heads."""
    return is_hospital_wide(user) or bool(department_ids(user, HEAD))


def can_browse_people(user) -> bool:
    return is_hospital_wide(user) or bool(department_ids(user))


def can_see_reports(user) -> bool:
    """The reports archive: board members, managers, and department heads and schedulers."""
    return BOARD_MEMBER in _groups(user) or is_hospital_wide(user) or bool(_department_roles(user))


def role_names(user) -> list[str]:
    """Human labels of everything the user is, for the navigation and the home page."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    names = []
    if is_administrator(user):
        names.append(ADMINISTRATOR)
    names += [group for group in HOSPITAL_GROUPS if group in _groups(user)]
    if department_ids(user, HEAD):
        names.append("Department head")
    if department_ids(user, SCHEDULER):
        names.append("Scheduler")
    if hasattr(user, "employee") and not names:
        names.append("Staff member")
    return names


def forget(user) -> None:
    """Drop cached roles, after memberships or groups change within one request."""
    for attr in ("_hospital_groups", "_hospital_department_roles"):
        user.__dict__.pop(attr, None)


def job_scope(user) -> frozenset[int] | None:
    """Departments whose background jobs (reports, auto-scheduler runs) the user may follow: None for
    managers (every department and the whole hospital), else the departments they see. Named by
    settings.JOB_SCOPE_RESOLVER for hospital_ops, which may not import records."""
    ids = visible_department_ids(user)
    return None if ids is ALL else ids
