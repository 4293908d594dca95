"""FilterSets shared by the HTML lists, their exports and the API."""

import re

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hospital_ops.filters import IdFilter
from hospital_ops.scoping import within

from .models import Credential, Department, Employee, JobTitle, Skill

SEARCH_WORD_SEPARATORS = re.compile(r"[\s,;]+")  # "Rogers, Anthony" is two words


def _visible_departments(request):
    if request is None:
        return Department.objects.none()
    return Department.objects.visible_to(request.user)


class EmployeeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    department = django_filters.ModelChoiceFilter(
        queryset=_visible_departments, method="in_department", label=_("Department")
    )
    job_title = django_filters.ModelChoiceFilter(queryset=JobTitle.objects.all(), label=_("Job title"))
    employment_type = django_filters.ChoiceFilter(choices=Employee.EmploymentType.choices, label=_("Employment type"))
    status = django_filters.ChoiceFilter(choices=Employee.Status.choices, label=_("Status"))
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), field_name="employee_skills__skill", method="with_skill", label=_("Skill")
    )
    credential_status = django_filters.ChoiceFilter(
        choices=Credential.State.choices, method="with_credential_state", label=_("Credential status")
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("last_name", "name"),
            ("employee_number", "number"),
            ("department__code", "department"),
            ("job_title__name", "job_title"),
            ("hire_date", "hire_date"),
            ("status", "status"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Employee
        fields = ["q", "department", "job_title", "employment_type", "status", "skill", "credential_status"]

    def search(self, queryset, name, value):
        """Every word matches a first name, last name or number: "Rogers, Anthony" (as the list shows a
        name), "Anthony Rogers" and "rog ant" all find Anthony Rogers."""
        words = [word for word in SEARCH_WORD_SEPARATORS.split(value) if word]
        for word in words[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(employee_number__icontains=word)
            )
        return queryset

    def in_department(self, queryset, name, value):
        """A department includes its units."""
        return queryset.filter(within(value)) if value else queryset

    def with_skill(self, queryset, name, value):
        return queryset.filter(employee_skills__skill=value) if value else queryset

    def with_credential_state(self, queryset, name, value):
        """Employees holding at least one credential in that state; "valid" means all are fine."""
        return queryset.with_credential_in_state(value) if value else queryset


class DepartmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Department.Kind.choices)
    parent = IdFilter(field_name="parent_id")

    class Meta:
        model = Department
        fields = ["q", "kind", "parent", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class CredentialFilter(django_filters.FilterSet):
    employee = IdFilter(field_name="employee_id")
    expires_before = django_filters.DateFilter(field_name="expiry_date", lookup_expr="lt")
    verified = django_filters.BooleanFilter(field_name="verified_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Credential
        fields = ["employee", "credential_type", "expires_before", "verified"]
