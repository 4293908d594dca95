"""Who may see and act where. Every app scopes its querysets and checks its rights through these.

Hospital-wide roles are Django groups; department roles (head, scheduler) are Membership rows and
cover the department's whole subtree of units. Results are cached on the user object, so one
request asks the database once whatever the number of rows it renders; the account of a signed-in
request (session or API token) comes with them already read, in the query that loads it
(`signed_in_user`).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from hospital_ops.scoping import ALL  # no department restriction

__all__ = ["ALL"]

ADMINISTRATOR = "Administrator"
OPERATIONS_MANAGER = "Operations manager"
FINANCE_OFFICER = "Finance officer"
BOARD_MEMBER = "Board member"
HOSPITAL_GROUPS = (OPERATIONS_MANAGER, FINANCE_OFFICER, BOARD_MEMBER)

# Hospital-wide service roles: they work across every building but see only their own queues
# (cleaning tasks, work orders, inspections), never people records, and rank as staff.
ENVIRONMENTAL_SERVICES = "Environmental services"
MAINTENANCE_TECHNICIAN = "Maintenance technician"
INSPECTOR = "Inspector"
SERVICE_GROUPS = (ENVIRONMENTAL_SERVICES, MAINTENANCE_TECHNICIAN, INSPECTOR)

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


def signed_in_user(user_id):
    """The account of a signed-in request with what the rights above ask of it already read: its
    hospital-wide roles, its department roles (subtrees included) and its employee record with their unit,
    in one query rather than one each. None when there is no such account."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models.expressions import RawSQL

    from hospital_ops.aggregates import joined_text_function

    from .models import Department, Membership

    user_model = get_user_model()
    quote = connection.ops.quote_name
    users = quote(user_model._meta.db_table)
    through = user_model.groups.through
    groups, links = quote(through._meta.get_field("group").related_model._meta.db_table), quote(through._meta.db_table)
    memberships, departments = quote(Membership._meta.db_table), quote(Department._meta.db_table)
    join = joined_text_function(connection.vendor)
    rows = list(
        user_model._default_manager.filter(pk=user_id)
        .select_related("employee__department")
        .annotate(
            group_names=RawSQL(
                f"SELECT {join}(g.name, %s) FROM {groups} g INNER JOIN {links} l ON l.group_id = g.id "
                f"WHERE l.user_id = {users}.id",
                ("\n",),
            ),
            role_departments=RawSQL(
                f"SELECT {join}(m.role || ':' || d.id, ',') FROM {memberships} m "
                f"INNER JOIN {departments} top ON top.id = m.department_id "
                f"INNER JOIN {departments} d ON substr(d.path, 1, length(top.path)) = top.path "
                f"WHERE m.user_id = {users}.id",
                (),
            ),
        )[:1]
    )
    if not rows:
        return None
    user = rows[0]
    user._hospital_groups = frozenset(user.group_names.split("\n")) if user.group_names else frozenset()
    by_role: dict[str, set[int]] = {}
    for pair in (user.role_departments or "").split(","):
        if pair:
            role, _sep, pk = pair.rpartition(":")
            by_role.setdefault(role, set()).add(int(pk))
    user._hospital_department_roles = {role: frozenset(pks) for role, pks in by_role.items()}
    return user


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


def in_group(user, name: str) -> bool:
    """Holds the hospital-wide role `name` (one of HOSPITAL_GROUPS or SERVICE_GROUPS)."""
    return name in _groups(user)


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


# Ranks: nobody changes the record of someone whose role is above theirs.
RANK_STAFF, RANK_SCHEDULER, RANK_HEAD, RANK_HOSPITAL, RANK_ADMINISTRATOR = range(5)


def rank(user) -> int:
    """How far up the user's strongest role sits: staff, scheduler, head, hospital-wide role, administrator."""
    if user is None or not user.is_authenticated:
        return RANK_STAFF
    if is_administrator(user):
        return RANK_ADMINISTRATOR
    if _groups(user) & set(HOSPITAL_GROUPS):
        return RANK_HOSPITAL
    if department_ids(user, HEAD):
        return RANK_HEAD
    if department_ids(user, SCHEDULER):
        return RANK_SCHEDULER
    return RANK_STAFF


def outranks_or_equals(user, other) -> bool:
    """True when `other` (a user account, or None) holds no role above the user's."""
    return other is None or rank(other) <= rank(user)


def departments_where(user, *roles: str, active: bool = True):
    """The departments (with their units; active ones unless `active` is False) where the user acts as
    one of `roles`: every department for managers. The one answer to "where may I act as head"."""
    from .models import Department

    departments = Department.objects.order_by("path")
    if active:
        departments = departments.filter(is_active=True)
    if is_hospital_wide(user):
        return departments
    return departments.filter(pk__in=department_ids(user, *roles))


def acts_as(user, *roles: str) -> bool:
    """Holds one of `roles` somewhere (or is a manager, who may act as any of them anywhere)."""
    return is_hospital_wide(user) or bool(department_ids(user, *roles))


def acts_in(user, department, *roles: str) -> bool:
    """Holds one of `roles` in this department or one above it, or is a manager."""
    return is_hospital_wide(user) or department.pk in department_ids(user, *roles)


def heads_of(department):
    """Active accounts that head this department or a department above it."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        is_active=True, memberships__role=HEAD, memberships__department_id__in=department.lineage_ids
    ).distinct()


def can_manage_department(user, department) -> bool:
    """Create and edit people records in this department: heads (of it or a parent) and managers."""
    return acts_in(user, department, HEAD)


def can_add_people(user) -> bool:
    """Add departments and people somewhere: heads and managers."""
    return acts_as(user, HEAD)


def can_change_person(user, person) -> bool:
    """Change someone's account, pay, status or contract: never one's own, never someone above oneself.
    `person` is a user account or None (a record with no login)."""
    if person is not None and person.pk == user.pk:
        return False
    return outranks_or_equals(user, person)


def changeable_people(user, employees):
    """Of an Employee queryset, those whose record the user's rank allows them to change: never their own,
    never someone holding a role above theirs (the queryset form of `can_change_person`)."""
    from django.db.models import Q

    employees = employees.exclude(user_id=user.pk) if user.pk else employees
    own_rank = rank(user)
    above = Q(pk__in=[])
    if own_rank < RANK_ADMINISTRATOR:
        above |= Q(user__is_superuser=True) | Q(user__groups__name=ADMINISTRATOR)
    if own_rank < RANK_HOSPITAL:
        above |= Q(user__groups__name__in=HOSPITAL_GROUPS)
    if own_rank < RANK_HEAD:
        above |= Q(user__memberships__role=HEAD)
    if own_rank < RANK_SCHEDULER:
        above |= Q(user__memberships__role=SCHEDULER)
    return employees.exclude(pk__in=employees.model.objects.filter(above).values("pk"))


def can_edit_employee(user, employee) -> bool:
    """Change a person's record, skills and credentials: whoever manages their department, but not
    their own record (nobody sets their own pay or qualifications) nor that of someone above them."""
    return can_manage_department(user, employee.department) and can_change_person(user, employee.user)


def can_verify_credentials_of(user, employee) -> bool:
    """Verify someone's credentials: whoever manages their department; nobody verifies their own."""
    return can_manage_department(user, employee.department) and not (employee.user_id and employee.user_id == user.pk)


def can_see_pay(user, employee) -> bool:
    """Hourly rates: those who manage the person's department, and the person themselves."""
    return employee.user_id == user.pk or can_manage_department(user, employee.department)


def can_create_department(user, parent) -> bool:
    if is_hospital_wide(user):
        return True
    return parent is not None and parent.pk in department_ids(user, HEAD)


def can_manage_catalogue(user) -> bool:
    """Skills, job titles and credential types are hospital-wide lists: only hospital-wide roles change
    them, because every department depends on them."""
    return is_hospital_wide(user)


def can_propose_catalogue_entry(user) -> bool:
    """Department heads propose new skills, job titles and credential types; a manager decides."""
    return not is_hospital_wide(user) and bool(department_ids(user, HEAD))


def can_browse_people(user) -> bool:
    return is_hospital_wide(user) or bool(department_ids(user))


def role_names(user) -> list[str]:
    """Human labels of everything the user is, for the navigation and the home page."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return []
    names = []
    if is_administrator(user):
        names.append(ADMINISTRATOR)
    names += [group for group in HOSPITAL_GROUPS + SERVICE_GROUPS if group in _groups(user)]
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

