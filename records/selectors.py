"""Reads of people records, shaped once for pages, API, exports and reports."""

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import (
    Credential,
    Department,
    Employee,
    EmployeeSkill,
    Skill,
    credential_compliant,
    credential_expired,
    credential_expiring,
    credential_unverified,
    expiring_within_days,
)


def department_list(user):
    return Department.objects.visible_to(user).select_related("parent", "head").annotate(
        headcount=Count("employees", filter=~Q(employees__status=Employee.Status.TERMINATED))
    ).order_by("path")  # a GROUP BY drops Meta.ordering


def employee_list(user):
    """Employees the user may see, with everything the list and the API show, in fixed queries."""
    return (
        Employee.objects.visible_to(user)
        .select_related("department", "job_title")
        .with_credential_state()
        .prefetch_related(Prefetch("employee_skills", EmployeeSkill.objects.select_related("skill")))
    )


def employee_detail(user):
    return employee_list(user).select_related("user", "department__parent").prefetch_related(
        Prefetch("credentials", Credential.objects.select_related("credential_type", "verified_by"))
    )


def credential_list(user):
    return Credential.objects.visible_to(user).select_related("credential_type", "employee", "verified_by")


def employee_skill_list(user):
    return EmployeeSkill.objects.filter(employee__in=Employee.objects.visible_to(user)).select_related(
        "skill", "employee"
    )


def skill_list():
    return Skill.objects.annotate(holder_count=Count("holders")).order_by("name", "pk")


def records_figures(user) -> dict:
    """Headline numbers for the home page, within the user's scope."""
    today = timezone.localdate()
    employees = Employee.objects.visible_to(user)
    figures = employees.aggregate(
        headcount=Count("pk", filter=~Q(status=Employee.Status.TERMINATED)),
        active=Count("pk", filter=Q(status=Employee.Status.ACTIVE)),
        on_leave=Count("pk", filter=Q(status=Employee.Status.ON_LEAVE)),
        agency=Count("pk", filter=Q(employment_type=Employee.EmploymentType.AGENCY) & ~Q(status="terminated")),
    )
    credentials = Credential.objects.filter(employee__in=employees.exclude(status=Employee.Status.TERMINATED))
    figures.update(
        credentials.aggregate(
            credentials=Count("pk"),
            expired=Count("pk", filter=credential_expired(today)),
            expiring=Count("pk", filter=credential_expiring(today)),
            unverified=Count("pk", filter=credential_unverified(today)),
            compliant=Count("pk", filter=credential_compliant(today)),
        )
    )
    figures["expiring_within_days"] = expiring_within_days()
    total = figures["credentials"]
    figures["compliance_pct"] = round(100 * figures["compliant"] / total, 1) if total else None
    return figures
