"""Who may do what with budgets, spending, rates and actuals.

Built on the roles of `records.access`; services, views, templates (`user|may:"finance.…"`) and the
API all ask here. The authorisation chain's limits are data (`AuthorisationBand`); which band a user
holds for a department is decided here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from records.access import (
    FINANCE_OFFICER,
    HEAD,
    OPERATIONS_MANAGER,
    acts_as,
    acts_in,
    departments_where,
    is_board_only,
    is_finance_officer,
    is_hospital_wide,
)

__all__ = ["HEAD", "departments_where", "is_board_only", "is_finance_officer", "is_hospital_wide"]


def uses_finance(user) -> bool:
    """The finance pages: finance officers, managers and department heads (their own departments)."""
    return is_finance_officer(user) or acts_as(user, HEAD)


def sees_whole_hospital(user) -> bool:
    """Finance officers and operations managers see every department's figures."""
    return is_finance_officer(user) or is_hospital_wide(user)


def finance_departments(user):
    """The departments whose figures the user sees: all for finance and managers, else their own (with units)."""
    from records.models import Department

    if sees_whole_hospital(user):
        return Department.objects.all()
    return Department.objects.visible_to(user)


def can_set_up(user) -> bool:
    """Fiscal years, periods, the chart of accounts, authorisation bands and the pay policy: finance."""
    return is_finance_officer(user)


def can_import_actuals(user) -> bool:
    """Ledger extracts, units of service and service volumes: finance."""
    return is_finance_officer(user)


def can_prepare_budget(user, department) -> bool:
    """Draft, edit and submit a department's budget: its heads, managers and finance."""
    return is_finance_officer(user) or acts_in(user, department, HEAD)


def can_approve_budget(user, budget) -> bool:
    """Approve a submitted budget: finance, never the person who submitted it."""
    return is_finance_officer(user) and budget.submitted_by_id != user.pk


def budget_departments(user):
    """Departments whose budgets the user prepares."""
    if is_finance_officer(user):
        from records.models import Department

        return Department.objects.filter(is_active=True).order_by("path")
    return departments_where(user, HEAD)


def can_raise_expenditure(user, department) -> bool:
    """Ask to spend: heads of the department and managers (finance raises none of its own)."""
    return acts_in(user, department, HEAD)


def band_roles(user, department) -> set[str]:
    """The authorisation-band roles the user holds for this department's spending."""
    roles = set()
    if acts_in(user, department, HEAD):
        roles.add("head")
    if is_hospital_wide(user):
        roles.add("operations")
    if is_finance_officer(user):
        roles.add("finance")
    return roles


def authority_level(user, department, bands) -> int:
    """The highest chain level the user holds for this department (0: none). `bands` are the
    AuthorisationBand rows, lowest level first."""
    roles = band_roles(user, department)
    return max((band.level for band in bands if band.role in roles), default=0)


def can_approve_expenditure(user, request, bands) -> bool:
    """Approve at the next level: whoever holds it or a higher one; never the person who raised the request
    nor anyone who raised its amount."""
    if request.raised_by_id == user.pk:
        return False
    if any(change.raised_by_id == user.pk for change in request.raises.all()):
        return False
    return authority_level(user, request.department, bands) >= 1


def can_edit_expenditure(user, request) -> bool:
    """Change a request awaiting approval: who raised it, or a head of its department."""
    return request.raised_by_id == user.pk or acts_in(user, request.department, HEAD)


def can_progress_expenditure(user, request) -> bool:
    """Mark ordered, received, paid: finance, or a head of the department for ordered and received."""
    return is_finance_officer(user) or acts_in(user, request.department, HEAD)


def can_record_payment(user) -> bool:
    return is_finance_officer(user)


def can_manage_rates(user) -> bool:
    """The chargemaster, and proposing bulk changes: finance."""
    return is_finance_officer(user)


def can_approve_rate_change(user, change) -> bool:
    """A bulk change takes effect when a finance officer other than its proposer approves it."""
    return is_finance_officer(user) and change.proposed_by_id != user.pk


def can_explain_variance(user, department) -> bool:
    """Write the explanation of a variance line: the department's heads and managers."""
    return acts_in(user, department, HEAD)


def approvers_for(department, level: int, bands):
    """Who is asked to approve at `level` for this department."""
    from records.access import heads_of

    band = next((b for b in bands if b.level == level), None)
    if band is None:
        return get_user_model().objects.none()
    if band.role == "head":
        return heads_of(department)
    group = OPERATIONS_MANAGER if band.role == "operations" else FINANCE_OFFICER
    return get_user_model().objects.filter(is_active=True, groups__name=group).distinct()
