"""Who may do what with rosters, unit setup, labour rules and time off.

Built on the roles of `records.access`; services, views, templates (`user|may:"staffing.…"`) and the
API all ask here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from records.access import (
    ALL,
    HEAD,
    OPERATIONS_MANAGER,
    SCHEDULER,
    acts_as,
    acts_in,
    can_browse_people,
    can_change_person,
    can_manage_department,
    changeable_people,
    department_ids,
    departments_where,
    heads_of,
    is_board_only,
    is_hospital_wide,
    visible_department_ids,
)

# The roles staffing builds on, for its own modules.
__all__ = [
    "ALL", "HEAD", "SCHEDULER", "acts_as", "can_manage_department", "department_ids", "departments_where",
    "is_board_only", "is_hospital_wide", "visible_department_ids",
]


def uses_rosters(user) -> bool:
    """Managers, heads and schedulers: everyone who works with a department's rosters."""
    return can_browse_people(user)


def can_schedule(user, department) -> bool:
    """Draft, fill, submit and publish a unit's rosters: its schedulers, its heads and managers."""
    return acts_in(user, department, HEAD, SCHEDULER)


def can_decide_roster(user, schedule) -> bool:
    """Approve or reject a submitted roster: a head of its unit (or above it) or a manager, and never
    the person who submitted it."""
    return can_manage_department(user, schedule.department) and schedule.submitted_by_id != user.pk


def can_set_up_unit(user, department) -> bool:
    """Shift types, staffing requirements and a unit's labour rules: its heads and managers."""
    return can_manage_department(user, department)


def can_set_contract(user, employee) -> bool:
    """A person's contract rules: the head of their department or a manager, never one's own contract nor
    that of someone whose role is above one's own."""
    return can_manage_department(user, employee.department) and can_change_person(user, employee.user)


def contract_candidates(user, employees):
    """Of `employees`, those whose contract the user may set (in departments they run, not above them)."""
    return changeable_people(user, employees.filter(department__in=manageable_units(user)))


def can_act_for(user, employee) -> bool:
    """Request time off, state preferences and manage a calendar feed: the person, or whoever runs
    their department."""
    return employee.user_id == user.pk or can_manage_department(user, employee.department)


def can_decide_time_off(user, time_off) -> bool:
    """Approve or deny a request: the head of the person's department or a manager; never one's own."""
    return can_manage_department(user, time_off.employee.department) and time_off.employee.user_id != user.pk


def can_edit_hospital_rules(user) -> bool:
    return is_hospital_wide(user)


def schedulable_units(user):
    """Active units where the user drafts rosters and which have shift types set up."""
    return departments_where(user, HEAD, SCHEDULER).filter(shift_types__is_active=True).distinct()


def manageable_units(user):
    """Active departments whose roster setup the user may change (heads and managers)."""
    return departments_where(user, HEAD)


def roster_deciders(schedule):
    """Who is asked to decide on a submitted roster: the heads of its unit and of the departments above
    it, except the submitter; when the submitter is the only head, the operations managers."""
    heads = heads_of(schedule.department).exclude(pk=schedule.submitted_by_id)
    if heads.exists():
        return heads
    users = get_user_model().objects.filter(is_active=True).exclude(pk=schedule.submitted_by_id)
    return users.filter(groups__name=OPERATIONS_MANAGER).distinct()



def decides_cover(user) -> bool:
    """Approve or refuse claimed open shifts and accepted swaps: heads (of the units concerned) and managers."""
    return acts_as(user, HEAD)


def can_see_hppd(user) -> bool:
    """Nursing hours per patient day against target: heads (a clinical director heads the departments above
    the units) and managers, for the units they run. Board members, schedulers and staff do not."""
    return not is_board_only(user) and acts_as(user, HEAD)
